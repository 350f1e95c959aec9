-- Why records were not linked: identifier values the blocklist keeps out, and links the merge rules refused.
with blocked as (
    select * from {{ ref('int_identity_values_blocked') }}
),

dropped as (
    select * from {{ source('identity', 'dropped_edges') }}
)

select
    'blocked_value' as decision,
    identifier_type,
    identifier_value,
    cast(null as {{ dbt.type_string() }}) as other_identifier_type,
    cast(null as {{ dbt.type_string() }}) as other_identifier_value,
    reason,
    records,
    last_seen_at as decided_at
from blocked

union all

select
    'refused_link' as decision,
    identifier_type_a,
    identifier_value_a,
    identifier_type_b,
    identifier_value_b,
    reason,
    records,
    decided_at
from dropped

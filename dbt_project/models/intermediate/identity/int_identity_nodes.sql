-- The identity graph's nodes: every distinct identifier that is allowed to link records.
with observations as (
    select * from {{ ref('int_identity_observations') }}
),

blocked as (
    select identifier_type, identifier_value from {{ ref('int_identity_values_blocked') }}
),

types as (
    select * from {{ ref('identity_identifier_types') }}
),

allowed as (
    select observations.*
    from observations
    left join blocked
        on observations.identifier_type = blocked.identifier_type
        and observations.identifier_value = blocked.identifier_value
    where blocked.identifier_value is null
),

nodes as (
    select
        identifier_type,
        identifier_value,
        min(observed_at) as first_seen_at,
        max(observed_at) as last_seen_at,
        count(*) as records
    from allowed
    group by identifier_type, identifier_value
)

select
    row_number() over (order by nodes.identifier_type, nodes.identifier_value) as node_id,
    nodes.identifier_type,
    nodes.identifier_value,
    types.priority as type_priority,
    nodes.first_seen_at,
    nodes.last_seen_at,
    nodes.records
from nodes
inner join types on nodes.identifier_type = types.identifier_type

-- Every identifier of every person, with when it was first and last seen.
with assigned as (
    select * from {{ source('identity', 'customer_identifiers') }}
),

nodes as (
    select * from {{ ref('int_identity_nodes') }}
)

select
    {{ dbt.concat(['assigned.identifier_type', "':'", 'assigned.identifier_value']) }} as customer_identity_id,
    assigned.customer_key,
    assigned.identifier_type,
    assigned.identifier_value,
    nodes.first_seen_at,
    nodes.last_seen_at,
    nodes.records
from assigned
inner join nodes
    on assigned.identifier_type = nodes.identifier_type
    and assigned.identifier_value = nodes.identifier_value

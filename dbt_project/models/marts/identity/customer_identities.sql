-- Every identifier of every person, with when it was first and last seen.
with assigned as (
    select * from {{ source('identity', 'customer_identifiers') }}
),

nodes as (
    select * from {{ ref('int_identity_nodes') }}
),

-- how many people's records carry the identifier (a household's phone: two)
sharing as (
    select
        record_nodes.identifier_type,
        record_nodes.identifier_value,
        count(distinct record_customers.customer_key) as customers_sharing
    from {{ ref('int_identity_record_nodes') }} as record_nodes
    inner join {{ ref('int_identity_record_customers') }} as record_customers
        on record_customers.record_source = record_nodes.record_source
        and record_customers.record_id = record_nodes.record_id
    group by record_nodes.identifier_type, record_nodes.identifier_value
)

select
    {{ dbt.concat(['assigned.identifier_type', "':'", 'assigned.identifier_value']) }} as customer_identity_id,
    assigned.customer_key,
    assigned.identifier_type,
    assigned.identifier_value,
    nodes.first_seen_at,
    nodes.last_seen_at,
    nodes.records,
    coalesce(sharing.customers_sharing, 1) as customers_sharing
from assigned
inner join nodes
    on assigned.identifier_type = nodes.identifier_type
    and assigned.identifier_value = nodes.identifier_value
left join sharing
    on sharing.identifier_type = assigned.identifier_type
    and sharing.identifier_value = assigned.identifier_value

-- The customer behind every record: the customer of the record's most trusted identifier.
with observations as (
    select * from {{ ref('int_identity_observations') }}
),

nodes as (
    select * from {{ ref('int_identity_nodes') }}
),

assigned as (
    select * from {{ source('identity', 'customer_identifiers') }}
),

ranked as (
    select
        observations.record_source,
        observations.record_id,
        observations.observed_at,
        assigned.customer_key,
        row_number() over (
            partition by observations.record_source, observations.record_id
            order by nodes.type_priority, nodes.node_id
        ) as rank_in_record
    from observations
    inner join nodes
        on observations.identifier_type = nodes.identifier_type
        and observations.identifier_value = nodes.identifier_value
    inner join assigned
        on observations.identifier_type = assigned.identifier_type
        and observations.identifier_value = assigned.identifier_value
)

select
    {{ dbt.concat(['record_source', "'|'", 'record_id']) }} as record_key,
    record_source,
    record_id,
    observed_at,
    customer_key
from ranked
where rank_in_record = 1

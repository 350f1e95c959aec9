-- The identity-graph nodes of every record, ranked by trust: rank 1 is the record's most trusted identifier
-- (lowest type priority, then smallest node id), which anchors its links and decides whose record it is.
with observations as (
    select * from {{ ref('int_identity_observations') }}
),

nodes as (
    select * from {{ ref('int_identity_nodes') }}
)

select
    observations.record_source,
    observations.record_id,
    observations.observed_at,
    nodes.node_id,
    nodes.identifier_type,
    nodes.identifier_value,
    nodes.type_priority,
    row_number() over (
        partition by observations.record_source, observations.record_id
        order by nodes.type_priority, nodes.node_id
    ) as rank_in_record
from observations
inner join nodes
    on observations.identifier_type = nodes.identifier_type
    and observations.identifier_value = nodes.identifier_value

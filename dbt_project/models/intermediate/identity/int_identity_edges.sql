-- The identity graph's edges: identifiers seen together in one record. Each record links its most trusted
-- identifier to each of its others, which keeps connectivity with fewer edges than all pairs.
with record_nodes as (
    select * from {{ ref('int_identity_record_nodes') }}
),

links as (
    select
        least(anchor.node_id, other.node_id) as node_a,
        greatest(anchor.node_id, other.node_id) as node_b,
        -- an edge is only as trusted as its weaker end
        greatest(anchor.type_priority, other.type_priority) as edge_priority,
        anchor.record_source,
        anchor.observed_at
    from record_nodes as anchor
    inner join record_nodes as other
        on anchor.record_source = other.record_source
        and anchor.record_id = other.record_id
        and other.rank_in_record > 1
    where anchor.rank_in_record = 1
        and anchor.node_id <> other.node_id
)

select
    node_a,
    node_b,
    min(edge_priority) as edge_priority,
    count(*) as records,
    min(observed_at) as first_seen_at,
    max(observed_at) as last_seen_at,
    {{ dbt.listagg('distinct record_source', "','", "order by record_source") }} as record_sources
from links
group by node_a, node_b

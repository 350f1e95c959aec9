-- The customer behind every record: the customer of the record's most trusted identifier.
with anchors as (
    select * from {{ ref('int_identity_record_nodes') }} where rank_in_record = 1
),

assigned as (
    select * from {{ source('identity', 'customer_identifiers') }}
)

select
    {{ dbt.concat(['anchors.record_source', "'|'", 'anchors.record_id']) }} as record_key,
    anchors.record_source,
    anchors.record_id,
    anchors.observed_at,
    assigned.customer_key
from anchors
inner join assigned
    on anchors.identifier_type = assigned.identifier_type
    and anchors.identifier_value = assigned.identifier_value

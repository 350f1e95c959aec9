-- One row per Shopify customers export file: when it was taken. The export has no timestamp column of its
-- own, so the file's modification time, recorded by the ingestion ledger, dates the flags it carries.
-- depends_on: {{ source('shopify', 'shopify_customers') }} (the ledger rows are written with them)
with source as (
    select * from {{ source('shopify', 'customer_export_files') }}
),

renamed as (
    select
        ----------  ids
        path as source_file,

        ----------  strings
        sha256,

        ----------  timestamps
        {{ kizuna.epoch_ns_to_timestamp('modified_ns') }} as exported_at,
        loaded_at
    from source
    where source = 'shopify_customers' and status = 'loaded'
)

select * from renamed

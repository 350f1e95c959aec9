-- One row per store receipt line; a receipt re-sent by the store keeps its first delivery.
-- Incremental (macros/incremental.sql): each build adds the raw rows loaded since the last one.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail') }}

with source as (
    select * from {{ source('pos', 'pos_transactions') }}{{ kizuna.loaded_since() }}
),

renamed as (
    select
        ----------  ids
        {{ dbt.concat(['receipt_id', "'#'", dbt.cast('line_number', api.Column.translate_type('string'))]) }} as receipt_line_id,
        receipt_id,
        line_number,
        store_id,
        register_id,

        ----------  identifiers
        {{ kizuna.normalize_digits('loyalty_card_id') }} as loyalty_card_id,
        {{ kizuna.normalize_phone('phone') }} as phone,

        ----------  strings
        store_name,
        sku,
        product_name,
        category as product_category,
        payment_method,

        ----------  numerics
        quantity,
        unit_price,
        coalesce(line_amount, quantity * unit_price) as line_amount,

        ----------  timestamps
        transacted_at,

        ----------  lineage
        _file as source_file,
        _line as source_line,
        _loaded_at as loaded_at
    from source
),

deduplicated as (
    {{ kizuna.deduplicate('renamed', 'receipt_line_id', 'loaded_at, source_file, source_line') }}
)

select deduplicated.*, {{ kizuna.key_digest('receipt_line_id') }} as key_digest, {{ kizuna.staged_now() }} as staged_at
from deduplicated{{ kizuna.not_staged_yet('deduplicated', 'receipt_line_id') }}

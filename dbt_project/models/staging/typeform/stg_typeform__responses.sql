-- One row per form response (Typeform token), with the identifiers passed as hidden fields.
-- Incremental (macros/incremental.sql): each build adds the raw rows loaded since the last one.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail') }}

with source as (
    select * from {{ source('typeform', 'zero_party') }}{{ kizuna.loaded_since() }}
),

renamed as (
    select
        ----------  ids
        token as response_id,
        event_id as webhook_event_id,
        form_id,

        ----------  identifiers passed by the site as hidden fields
        {{ kizuna.normalize_email(kizuna.json_text('hidden', '$.email')) }} as hidden_email,
        {{ kizuna.normalize_id(kizuna.json_text('hidden', '$.customer_id')) }} as hidden_customer_id,
        {{ kizuna.normalize_id(kizuna.json_text('hidden', '$.anonymous_id')) }} as hidden_anonymous_id,
        {{ kizuna.normalize_phone(kizuna.json_text('hidden', '$.phone')) }} as hidden_phone,
        {{ kizuna.normalize_id(kizuna.json_text('hidden', '$.line_user_id')) }} as hidden_line_user_id,
        {{ kizuna.json_text('hidden', '$.order_id') }} as hidden_order_name,
        {{ kizuna.json_text('hidden', '$.store_id') }} as hidden_store_id,

        ----------  strings
        {{ kizuna.json_text('definition', '$.title') }} as form_title,

        ----------  payloads
        answers,
        definition,

        ----------  timestamps
        landed_at,
        submitted_at,

        ----------  lineage
        _file as source_file,
        _line as source_line,
        _loaded_at as loaded_at
    from source
),

deduplicated as (
    {{ kizuna.deduplicate('renamed', 'response_id', 'loaded_at, source_file, source_line') }}
)

select deduplicated.*, {{ kizuna.key_digest('response_id') }} as key_digest, {{ kizuna.staged_now() }} as staged_at
from deduplicated{{ kizuna.not_staged_yet('deduplicated', 'response_id') }}

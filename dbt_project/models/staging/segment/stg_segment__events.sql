-- One row per Segment message; re-delivered copies (same messageId) collapse to the first delivered to us
-- (earliest load, then earliest received): what an incremental build keeps too, so increments end where a
-- rebuild from raw ends.
-- Incremental (macros/incremental.sql): each build adds the raw rows loaded since the last one.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail') }}

with source as (
    select * from {{ source('segment', 'events') }}{{ kizuna.loaded_since() }}
),

renamed as (
    select
        ----------  ids
        message_id,
        {{ kizuna.normalize_id('anonymous_id') }} as anonymous_id,
        {{ kizuna.normalize_id('user_id') }} as user_id,
        {{ kizuna.normalize_id('previous_id') }} as previous_id,

        ----------  identifiers carried in traits (identify calls)
        {{ kizuna.normalize_email(kizuna.json_text('traits', '$.email')) }} as email,
        {{ kizuna.normalize_phone(kizuna.json_text('traits', '$.phone')) }} as phone,
        {{ kizuna.normalize_id(kizuna.json_text('traits', '$.lineUserId')) }} as line_user_id,

        ----------  strings
        type as event_type,
        event as event_name,
        name as page_name,
        {{ kizuna.json_text('properties', '$.product_id') }} as product_id,
        {{ kizuna.json_text('properties', '$.category') }} as product_category,
        {{ kizuna.json_text('properties', '$.order_id') }} as order_id,
        {{ kizuna.json_text('properties', '$.cart_id') }} as cart_id,
        coalesce({{ kizuna.json_text('context', '$.device.type') }}, 'web') as device_type,
        {{ kizuna.json_text('context', '$.library.name') }} as library_name,
        {{ kizuna.json_text('traits', '$.firstName') }} as first_name,
        {{ kizuna.json_text('traits', '$.lastName') }} as last_name,
        {{ kizuna.json_text('traits', '$.address.state') }} as address_state,

        ----------  numerics
        cast({{ kizuna.json_text('properties', '$.revenue') }} as {{ dbt.type_numeric() }}) as revenue,
        cast({{ kizuna.json_text('properties', '$.price') }} as {{ dbt.type_numeric() }}) as price,

        ----------  payloads, kept for models that need more
        traits,
        properties,
        context,

        ----------  timestamps
        event_timestamp as event_at,
        sent_at,
        received_at,

        ----------  lineage
        _file as source_file,
        _line as source_line,
        _loaded_at as loaded_at
    from source
),

deduplicated as (
    {{ kizuna.deduplicate('renamed', 'message_id', 'loaded_at, received_at, source_file, source_line') }}
)

select deduplicated.*, {{ kizuna.key_digest('message_id') }} as key_digest, {{ kizuna.staged_now() }} as staged_at
from deduplicated{{ kizuna.not_staged_yet('deduplicated', 'message_id') }}

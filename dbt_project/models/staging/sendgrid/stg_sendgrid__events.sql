-- One row per SendGrid event; webhook retries (same sg_event_id) collapse to one.
-- Incremental (macros/incremental.sql): each build adds the raw rows loaded since the last one.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail') }}

with source as (
    select * from {{ source('sendgrid', 'email_engagement') }}{{ kizuna.loaded_since() }}
),

renamed as (
    select
        ----------  ids
        sg_event_id,
        sg_message_id,

        ----------  identifiers
        {{ kizuna.normalize_email('email') }} as email,

        ----------  strings
        event as event_type,
        {{ kizuna.json_text('category', '$[0]') }} as category,
        marketing_campaign_name as campaign_name,
        url as clicked_url,
        reason as failure_reason,
        status as smtp_status,
        bounce_type,
        bounce_classification,
        asm_group_id,

        ----------  booleans
        event in ('unsubscribe', 'group_unsubscribe', 'spamreport') as is_opt_out,
        event in ('bounce', 'dropped') as is_delivery_failure,

        ----------  timestamps
        event_timestamp as event_at,

        ----------  lineage
        _file as source_file,
        _line as source_line,
        _loaded_at as loaded_at
    from source
),

deduplicated as (
    {{ kizuna.deduplicate('renamed', 'sg_event_id', 'loaded_at, source_file, source_line') }}
)

select deduplicated.*, {{ kizuna.key_digest('sg_event_id') }} as key_digest, {{ kizuna.staged_now() }} as staged_at
from deduplicated{{ kizuna.not_staged_yet('deduplicated', 'sg_event_id') }}

-- One row per consent decision: each purpose of each service in a consent receipt. A decision delivered again
-- (the receipt re-sent) keeps its first delivery; a decision is the unit, so that an increment, which refuses
-- decisions already staged, ends where a rebuild from raw ends even when a receipt is re-sent with more of them.
-- Incremental (macros/incremental.sql): each build adds the raw rows loaded since the last one.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail') }}

with source as (
    select * from {{ source('consent', 'consent_events') }}{{ kizuna.loaded_since() }}
),

flattened as (
    select
        *,
        {{ kizuna.unnest_json_array('services', '$[*].purposes[*]') }} as decision
    from source
),

renamed as (
    select
        ----------  ids
        {{ dbt.concat(['consent_receipt_id', "'#'", kizuna.json_text('decision', '$.purpose')]) }} as consent_decision_id,
        consent_receipt_id,

        ----------  identifiers of the subject
        {{ kizuna.normalize_email(kizuna.json_text('subject_identifiers', '$.email')) }} as email,
        {{ kizuna.normalize_phone(kizuna.json_text('subject_identifiers', '$.phone')) }} as phone,
        {{ kizuna.normalize_id(kizuna.json_text('subject_identifiers', '$.customer_id')) }} as shopify_customer_id,
        {{ kizuna.normalize_digits(kizuna.json_text('subject_identifiers', '$.loyalty_card_id')) }} as loyalty_card_id,
        {{ kizuna.normalize_id(kizuna.json_text('subject_identifiers', '$.line_user_id')) }} as line_user_id,

        ----------  strings
        lower(trim({{ kizuna.json_text('decision', '$.purpose') }})) as purpose,
        coalesce(lower(trim({{ kizuna.json_text('decision', '$.channel') }})), 'all') as channel,
        -- a Kantara receipt records consent given; the status field adds withdrawals (ISO/IEC TS 27560).
        -- Anything but a grant (withdrawn, revoked, refused, expired, a typo) counts as a withdrawal.
        case
            when lower(trim(coalesce({{ kizuna.json_text('decision', '$.consentStatus') }}, 'granted')))
                in ('granted', 'active', 'given')
            then 'granted'
            else 'withdrawn'
        end as consent_status,
        {{ kizuna.json_text('decision', '$.consentStatus') }} as consent_status_as_sent,
        {{ kizuna.json_text('decision', '$.consentType') }} as consent_type,
        jurisdiction,
        collection_method,
        policy_url,
        policy_version,
        language,

        ----------  timestamps
        consent_timestamp as decided_at,

        ----------  lineage
        _file as source_file,
        _line as source_line,
        _loaded_at as loaded_at
    from flattened
),

deduplicated as (
    {{ kizuna.deduplicate('renamed', 'consent_decision_id', 'loaded_at, source_file, source_line') }}
)

select deduplicated.*, {{ kizuna.key_digest('consent_decision_id') }} as key_digest, {{ kizuna.staged_now() }} as staged_at
from deduplicated{{ kizuna.not_staged_yet('deduplicated', 'consent_decision_id') }}

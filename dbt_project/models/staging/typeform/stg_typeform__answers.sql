-- One row per answer of a form response: what the person told us, by question (field ref).
-- Incremental: each build adds the answers of the responses it has not seen (macros/incremental.sql). Rows keep
-- their response's landing record (source_file, source_line), so erasure and retention rewrites reach them.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail') }}

with responses as (
    select response_id, form_id, submitted_at, answers, source_file, source_line, staged_at
    from {{ ref('stg_typeform__responses') }} as responses{{ kizuna.parents_not_staged_yet('responses', 'response_id') }}
),

flattened as (
    select
        response_id,
        form_id,
        submitted_at,
        source_file,
        source_line,
        {{ kizuna.unnest_json_array('answers') }} as answer
    from responses
),

renamed as (
    select
        ----------  ids
        {{ dbt.concat(['response_id', "'#'", kizuna.json_text('answer', '$.field.ref')]) }} as answer_id,
        response_id,
        form_id,
        {{ kizuna.json_text('answer', '$.field.ref') }} as question_ref,

        ----------  strings
        {{ kizuna.json_text('answer', '$.type') }} as answer_type,
        {{ kizuna.json_text('answer', '$.field.type') }} as question_type,
        case {{ kizuna.json_text('answer', '$.type') }}
            when 'choice' then {{ kizuna.json_text('answer', '$.choice.label') }}
            when 'text' then {{ kizuna.json_text('answer', '$.text') }}
            when 'email' then {{ kizuna.json_text('answer', '$.email') }}
            when 'phone_number' then {{ kizuna.json_text('answer', '$.phone_number') }}
            when 'date' then {{ kizuna.json_text('answer', '$.date') }}
            when 'number' then {{ kizuna.json_text('answer', '$.number') }}
            when 'boolean' then {{ kizuna.json_text('answer', '$.boolean') }}
            when 'url' then {{ kizuna.json_text('answer', '$.url') }}
        end as answer_text,
        {{ kizuna.json_value_of('answer', '$.choices.labels') }} as answer_choices,

        ----------  timestamps
        submitted_at,

        ----------  lineage
        source_file,
        source_line,
        {{ kizuna.staged_now() }} as staged_at
    from flattened
)

select renamed.*, {{ kizuna.key_digest('answer_id') }} as key_digest from renamed

-- One row per question a form showed (its definition), answered or not: what was asked, and when.
-- Incremental, as stg_typeform__answers: the questions of the responses it has not seen.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail') }}

with responses as (
    select response_id, form_id, landed_at, submitted_at, definition, source_file, source_line, staged_at
    from {{ ref('stg_typeform__responses') }} as responses{{ kizuna.parents_not_staged_yet('responses', 'response_id') }}
),

flattened as (
    select
        response_id,
        form_id,
        coalesce(landed_at, submitted_at) as shown_at,
        source_file,
        source_line,
        {{ kizuna.unnest_json_array('definition', '$.fields[*]') }} as field
    from responses
),

shown as (
    select
        {{ dbt.concat(['response_id', "'#'", kizuna.json_text('field', '$.ref')]) }} as question_shown_id,
        response_id,
        form_id,
        {{ kizuna.json_text('field', '$.ref') }} as question_ref,
        shown_at,
        source_file,
        source_line,
        {{ kizuna.staged_now() }} as staged_at
    from flattened
)

select shown.*, {{ kizuna.key_digest('question_shown_id') }} as key_digest from shown

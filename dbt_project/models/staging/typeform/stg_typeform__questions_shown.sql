-- One row per question a form showed (its definition), answered or not: what was asked, and when.
with responses as (
    select response_id, form_id, landed_at, submitted_at, definition
    from {{ ref('stg_typeform__responses') }}
),

flattened as (
    select
        response_id,
        form_id,
        coalesce(landed_at, submitted_at) as shown_at,
        {{ kizuna.unnest_json_array('definition', '$.fields[*]') }} as field
    from responses
)

select
    {{ dbt.concat(['response_id', "'#'", kizuna.json_text('field', '$.ref')]) }} as question_shown_id,
    response_id,
    form_id,
    {{ kizuna.json_text('field', '$.ref') }} as question_ref,
    shown_at
from flattened

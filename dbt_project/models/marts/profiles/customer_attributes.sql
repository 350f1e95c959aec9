-- Everything known about each person, with provenance; is_current marks the value a profile uses:
-- unexpired values only, declared before observed before inferred, then the newest.
with candidates as (
    select * from {{ ref('int_customer_attribute_candidates') }}
),

judged as (
    select
        *,
        coalesce(expires_at < {{ kizuna.as_of_date() }}, false) as is_expired
    from candidates
),

ranked as (
    select
        *,
        row_number() over (
            partition by customer_key, attribute
            order by
                case when is_expired then 1 else 0 end,
                case kind when 'declared' then 1 when 'observed' then 2 else 3 end,
                learnt_at desc,
                value
        ) as precedence
    from judged
)

select
    {{ dbt.concat(['customer_key', "'|'", 'attribute', "'|'", 'kind', "'|'", 'source', "'|'",
                   dbt.cast('learnt_at', api.Column.translate_type('string')), "'|'", 'value']) }} as customer_attribute_id,
    customer_key,
    attribute,
    value,
    kind,
    source,
    learnt_at,
    expires_at,
    is_expired,
    precedence = 1 and not is_expired as is_current
from ranked

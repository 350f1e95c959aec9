-- Everything learnt about each person, one row per fact: declared (zero-party answers), observed (what
-- accounts and events say) and inferred (computed from behaviour), with where and when it was learnt.
with customers as (
    select * from {{ ref('int_identity_record_customers') }}
),

catalog as (
    select * from {{ ref('attribute_catalog') }}
),

answers as (
    select * from {{ ref('stg_typeform__answers') }}
),

declared as (
    select
        customers.customer_key,
        catalog.attribute,
        coalesce(answers.answer_text, {{ dbt.cast('answers.answer_choices', api.Column.translate_type('string')) }}) as value,
        'declared' as kind,
        {{ dbt.concat(["'typeform:'", 'answers.form_id']) }} as source,
        answers.submitted_at as learnt_at,
        catalog.expires_after_days
    from answers
    inner join customers
        on customers.record_source = 'form_response' and customers.record_id = answers.response_id
    inner join catalog
        on catalog.source_question = answers.question_ref and catalog.kind = 'declared'
),

shopify_customers as (
    select
        customers.customer_key,
        shopify.first_name,
        shopify.last_name,
        shopify.province_code,
        shopify.loaded_at
    from {{ ref('stg_shopify__customers') }} as shopify
    inner join customers
        on customers.record_source = 'shopify_customer'
        and customers.record_id = {{ dbt.cast('shopify.shopify_customer_id', api.Column.translate_type('string')) }}
),

identify_traits as (
    select
        customers.customer_key,
        events.first_name,
        events.last_name,
        events.event_at
    from {{ ref('stg_segment__events') }} as events
    inner join customers
        on customers.record_source = 'segment' and customers.record_id = events.message_id
    where events.event_type = 'identify'
),

observed as (
    select customer_key, 'first_name' as attribute, first_name as value, 'shopify_customers' as source, loaded_at as learnt_at
    from shopify_customers where first_name is not null
    union all
    select customer_key, 'last_name', last_name, 'shopify_customers', loaded_at
    from shopify_customers where last_name is not null
    union all
    select customer_key, 'prefecture_code', province_code, 'shopify_customers', loaded_at
    from shopify_customers where province_code is not null
    union all
    select customer_key, 'first_name', first_name, 'segment:identify', event_at
    from identify_traits where first_name is not null
    union all
    select customer_key, 'last_name', last_name, 'segment:identify', event_at
    from identify_traits where last_name is not null
),

category_signals as (
    -- purchases weigh three times a product view
    select
        customer_key,
        category,
        case when interaction = 'purchased' then 3 * quantity else 1 end as weight,
        interacted_at as signal_at
    from {{ ref('int_customer_product_interactions') }}
    where interaction in ('purchased', 'viewed') and category is not null
),

category_scores as (
    select
        customer_key,
        category,
        sum(weight) as score,
        max(signal_at) as last_at,
        row_number() over (partition by customer_key order by sum(weight) desc, category) as category_rank
    from category_signals
    group by customer_key, category
),

device_counts as (
    select
        customers.customer_key,
        events.device_type,
        count(*) as events,
        max(events.event_at) as last_at,
        row_number() over (partition by customers.customer_key order by count(*) desc, events.device_type) as device_rank
    from {{ ref('stg_segment__events') }} as events
    inner join customers on customers.record_source = 'segment' and customers.record_id = events.message_id
    group by customers.customer_key, events.device_type
),

inferred as (
    select customer_key, 'top_category' as attribute, category as value, 'purchases and product views' as source,
           last_at as learnt_at
    from category_scores where category_rank = 1
    union all
    select customer_key, 'device_type', device_type, 'segment events', last_at
    from device_counts where device_rank = 1
)

select
    customer_key, attribute, value, kind, source, learnt_at,
    case when expires_after_days is not null
         then {{ dbt.dateadd('day', 'expires_after_days', 'learnt_at') }} end as expires_at
from declared
union all
select customer_key, attribute, value, 'observed', source, learnt_at, cast(null as {{ dbt.type_timestamp() }})
from observed
union all
select customer_key, attribute, value, 'inferred', source, learnt_at, cast(null as {{ dbt.type_timestamp() }})
from inferred

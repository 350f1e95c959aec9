-- Every identifier seen in every record, one row per record and identifier: the raw material of the identity graph.
-- Data-subject requests are left out on purpose: a request must never link identities.
{%- set user_id_type = var('segment_user_id_type') %}

with segment as (
    select * from {{ ref('stg_segment__events') }}
),

shopify_customers as (
    select * from {{ ref('stg_shopify__customers') }}
),

shopify_orders as (
    select * from {{ ref('stg_shopify__orders') }}
),

pos_receipts as (
    select distinct receipt_id, transacted_at, loyalty_card_id, phone
    from {{ ref('stg_pos__receipt_lines') }}
),

sendgrid as (
    select * from {{ ref('stg_sendgrid__events') }}
),

form_answers as (
    -- identifiers people typed into forms (signup e-mail, loyalty card and phone at enrollment)
    select
        response_id,
        max(case when question_ref = 'email' then {{ kizuna.normalize_email('answer_text') }} end) as email,
        max(case when question_ref = 'phone' then {{ kizuna.normalize_phone('answer_text') }} end) as phone,
        max(case when question_ref = 'loyalty_card_id' then {{ kizuna.normalize_digits('answer_text') }} end)
            as loyalty_card_id
    from {{ ref('stg_typeform__answers') }}
    where question_ref in ('email', 'phone', 'loyalty_card_id')
    group by response_id
),

forms as (
    select
        responses.response_id,
        responses.submitted_at,
        responses.hidden_anonymous_id,
        responses.hidden_customer_id,
        responses.hidden_line_user_id,
        coalesce(form_answers.email, responses.hidden_email) as email,
        coalesce(form_answers.phone, responses.hidden_phone) as phone,
        form_answers.loyalty_card_id
    from {{ ref('stg_typeform__responses') }} as responses
    left join form_answers on responses.response_id = form_answers.response_id
),

consent as (
    select * from {{ ref('stg_consent__decisions') }}
),

observations as (
    {{ kizuna.identifier_observations('segment', 'segment', 'message_id', 'event_at', {
        'anonymous_id': 'anonymous_id', user_id_type: 'user_id', 'email': 'email',
        'phone': 'phone', 'line_user_id': 'line_user_id'}) }}
    union all
    -- an alias call links the earlier anonymous id to the user
    {{ kizuna.identifier_observations('segment', 'segment', 'message_id', 'event_at', {
        'anonymous_id': 'previous_id'}) }}
    union all
    -- customer exports carry no event time: their identifiers count as seen, but not as seen at a time
    {{ kizuna.identifier_observations('shopify_customers', 'shopify_customer', 'shopify_customer_id', 'cast(null as ' ~ dbt.type_timestamp() ~ ')', {
        'shopify_customer_id': 'shopify_customer_id', 'email': 'email', 'phone': 'phone'}) }}
    union all
    {{ kizuna.identifier_observations('shopify_orders', 'shopify_order', 'order_name', 'ordered_at', {
        'email': 'email', 'phone': 'phone'}) }}
    union all
    {{ kizuna.identifier_observations('pos_receipts', 'pos_receipt', 'receipt_id', 'transacted_at', {
        'loyalty_card_id': 'loyalty_card_id', 'phone': 'phone'}) }}
    union all
    {{ kizuna.identifier_observations('sendgrid', 'sendgrid', 'sg_event_id', 'event_at', {'email': 'email'}) }}
    union all
    {{ kizuna.identifier_observations('forms', 'form_response', 'response_id', 'submitted_at', {
        'anonymous_id': 'hidden_anonymous_id', 'shopify_customer_id': 'hidden_customer_id',
        'line_user_id': 'hidden_line_user_id', 'email': 'email', 'phone': 'phone',
        'loyalty_card_id': 'loyalty_card_id'}) }}
    union all
    {{ kizuna.identifier_observations('consent', 'consent_receipt', 'consent_receipt_id', 'decided_at', {
        'email': 'email', 'phone': 'phone', 'shopify_customer_id': 'shopify_customer_id',
        'loyalty_card_id': 'loyalty_card_id', 'line_user_id': 'line_user_id'}) }}
)

select distinct * from observations

-- One row per person: the current attributes pivoted, plus traits computed from what they did.
{%- set declared = ['favourite_categories', 'top_size', 'shoe_size', 'favourite_colours', 'contact_frequency',
                    'newsletter_topics', 'style', 'budget', 'purchase_intent', 'skin_type', 'birthday',
                    'winter_plans', 'nps'] %}

with identities as (
    select * from {{ ref('customer_identities') }}
),

attributes as (
    select * from {{ ref('customer_attributes') }} where is_current
),

orders as (
    select * from {{ ref('int_customer_orders') }}
),

clv as (
    select * from {{ source('clv', 'customer_predictions') }}
),

signals as (
    select * from {{ ref('int_customer_shopping_signals') }}
),

customers as (
    select
        customer_key,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        count(*) as identifiers,
        max(case when identifier_type = 'loyalty_card_id' then 1 else 0 end) = 1 as is_loyalty_member
    from identities
    group by customer_key
),

email_events as (
    select
        record_customers.customer_key,
        sendgrid.email,
        sendgrid.event_type,
        sendgrid.event_at
    from {{ ref('stg_sendgrid__events') }} as sendgrid
    inner join {{ ref('int_identity_record_customers') }} as record_customers
        on record_customers.record_source = 'sendgrid' and record_customers.record_id = sendgrid.sg_event_id
),

engagement as (
    select
        customer_key,
        count(case when event_type = 'open' and event_at >= {{ dbt.dateadd('day', -var('engagement_window_days'), kizuna.as_of_date()) }} then 1 end) as email_opens_90d,
        count(case when event_type = 'click' and event_at >= {{ dbt.dateadd('day', -var('engagement_window_days'), kizuna.as_of_date()) }} then 1 end) as email_clicks_90d,
        max(case when event_type in ('unsubscribe', 'group_unsubscribe', 'spamreport') then 1 else 0 end) = 1 as is_email_unsubscribed,
        max(case when event_type in ('bounce', 'dropped') then 1 else 0 end) = 1 as is_email_bounced
    from email_events
    group by customer_key
),

bounced_emails as (
    select distinct email from email_events where event_type = 'bounce'
),

best_contacts as (
    -- best e-mail: the person's own address (not also in someone else's records) most recently seen that has
    -- not bounced, then the one seen in most records; best phone and LINE user id: likewise, own ones first
    select
        identities.customer_key,
        identities.identifier_type,
        identities.identifier_value,
        identities.customers_sharing = 1 as is_personal,
        row_number() over (
            partition by identities.customer_key, identities.identifier_type
            order by
                case when identities.customers_sharing = 1 then 0 else 1 end,
                identities.last_seen_at desc,
                identities.records desc,
                identities.identifier_value
        ) as contact_rank
    from identities
    left join bounced_emails on identities.identifier_type = 'email' and bounced_emails.email = identities.identifier_value
    where identities.identifier_type in ('email', 'phone', 'line_user_id') and bounced_emails.email is null
),

order_stats as (
    select
        customer_key,
        count(*) as orders_total,
        count(case when channel = 'online' then 1 end) as orders_online,
        count(case when channel = 'store' then 1 end) as orders_store,
        sum(revenue) as revenue_total,
        min(ordered_at) as first_order_at,
        max(ordered_at) as last_order_at
    from orders
    group by customer_key
),

rfm as (
    select
        customer_key,
        {{ dbt.datediff('last_order_at', kizuna.as_of_date(), 'day') }} as recency_days,
        ntile(5) over (order by last_order_at) as r_score,
        ntile(5) over (order by orders_total, revenue_total) as f_score,
        ntile(5) over (order by revenue_total) as m_score
    from order_stats
),

pivoted as (
    select
        customer_key,
        max(case when attribute = 'first_name' then value end) as first_name,
        max(case when attribute = 'last_name' then value end) as last_name,
        max(case when attribute = 'prefecture_code' then value end) as prefecture_code,
        {%- for name in declared %}
        max(case when attribute = '{{ name }}' then value end) as declared_{{ name }},
        {%- endfor %}
        max(case when attribute = 'preferred_channel' and kind = 'declared' then value end) as declared_preferred_channel,
        max(case when attribute = 'top_category' then value end) as inferred_top_category,
        max(case when attribute = 'device_type' then value end) as inferred_device_type
    from attributes
    group by customer_key
)

select
    customers.customer_key,

    ----------  contact
    emails.identifier_value as best_email,
    phones.identifier_value as best_phone,
    -- the same, only when no one else's records carry them: what ad platforms may match on
    case when emails.is_personal then emails.identifier_value end as personal_email,
    case when phones.is_personal then phones.identifier_value end as personal_phone,
    line_users.identifier_value as line_user_id,
    pivoted.first_name,
    pivoted.last_name,

    ----------  place
    pivoted.prefecture_code,
    prefectures.name_en as prefecture_name,
    prefectures.region,
    coalesce(prefectures.has_cold_winter, false) as has_cold_winter,

    ----------  orders, online and in store
    coalesce(order_stats.orders_total, 0) as orders_total,
    coalesce(order_stats.orders_online, 0) as orders_online,
    coalesce(order_stats.orders_store, 0) as orders_store,
    coalesce(order_stats.revenue_total, 0) as revenue_total,
    order_stats.revenue_total / nullif(order_stats.orders_total, 0) as average_order_value,
    order_stats.first_order_at,
    order_stats.last_order_at,
    rfm.recency_days,

    ----------  RFM and lifecycle
    rfm.r_score,
    rfm.f_score,
    rfm.m_score,
    rfm_segments.rfm_segment,
    case
        when order_stats.orders_total is null then 'prospect'
        when {{ dbt.datediff('order_stats.first_order_at', kizuna.as_of_date(), 'day') }} <= {{ var('lifecycle_new_days') }} then 'new'
        when rfm.recency_days <= {{ var('lifecycle_active_days') }} then 'active'
        when rfm.recency_days <= {{ var('lifecycle_at_risk_days') }} then 'at_risk'
        when rfm.recency_days <= {{ var('lifecycle_lapsed_days') }} then 'lapsed'
        else 'churned'
    end as lifecycle_stage,

    ----------  predicted lifetime value (BG/NBD + Gamma-Gamma, see clv_model_parameters)
    clv.probability_alive,
    clv.expected_purchases_90d,
    clv.predicted_value_12m,

    ----------  e-mail engagement
    coalesce(engagement.email_opens_90d, 0) as email_opens_90d,
    coalesce(engagement.email_clicks_90d, 0) as email_clicks_90d,
    coalesce(engagement.is_email_unsubscribed, false) as is_email_unsubscribed,
    coalesce(engagement.is_email_bounced, false) as is_email_bounced,

    ----------  signals for marketing segments
    customers.is_loyalty_member,
    coalesce(substr(pivoted.declared_birthday, 6, 2) = {{ kizuna.as_of_month() }}, false) as is_birthday_month,
    coalesce(signals.winter_item_views_season, 0) as winter_item_views_season,
    coalesce(signals.winter_item_orders_season, 0) as winter_item_orders_season,
    coalesce(signals.discontinued_item_repeat_orders, 0) as discontinued_item_repeat_orders,
    signals.cart_abandoned_at is not null as has_abandoned_cart,
    signals.cart_abandoned_at,

    ----------  declared preferences (zero-party, unexpired)
    {%- for name in declared %}
    pivoted.declared_{{ name }},
    {%- endfor %}
    pivoted.declared_preferred_channel,

    ----------  inferred preferences
    pivoted.inferred_top_category,
    pivoted.inferred_device_type,
    case
        when coalesce(engagement.email_clicks_90d, 0) + coalesce(engagement.email_opens_90d, 0) > 0
            and not coalesce(engagement.is_email_unsubscribed, false) then 'email'
        when coalesce(order_stats.orders_store, 0) > coalesce(order_stats.orders_online, 0) then 'store'
        when pivoted.inferred_device_type in ('ios', 'android') then 'app'
        when customers.customer_key is not null and pivoted.inferred_device_type = 'web' then 'web'
    end as inferred_preferred_channel,

    ----------  seen
    customers.identifiers,
    customers.first_seen_at,
    customers.last_seen_at
from customers
left join pivoted on pivoted.customer_key = customers.customer_key
left join order_stats on order_stats.customer_key = customers.customer_key
left join rfm on rfm.customer_key = customers.customer_key
left join {{ ref('rfm_segments') }} as rfm_segments
    on rfm_segments.r_score = rfm.r_score and rfm_segments.f_score = rfm.f_score
left join engagement on engagement.customer_key = customers.customer_key
left join clv on clv.customer_key = customers.customer_key
left join signals on signals.customer_key = customers.customer_key
left join best_contacts as emails
    on emails.customer_key = customers.customer_key and emails.identifier_type = 'email' and emails.contact_rank = 1
left join best_contacts as phones
    on phones.customer_key = customers.customer_key and phones.identifier_type = 'phone' and phones.contact_rank = 1
left join best_contacts as line_users
    on line_users.customer_key = customers.customer_key
    and line_users.identifier_type = 'line_user_id'
    and line_users.contact_rank = 1
left join {{ ref('prefectures') }} as prefectures on prefectures.prefecture_code = pivoted.prefecture_code

-- Per person, the shopping signals that marketing segments use: winter interest this season, repeat buying of
-- items about to be discontinued, and carts left without an order.
with interactions as (
    select * from {{ ref('int_customer_product_interactions') }}
    where interacted_at < {{ kizuna.as_of_date() }}
),

products as (
    select * from {{ ref('products') }}
),

winter as (
    select
        interactions.customer_key,
        count(case when interactions.interaction = 'viewed' then 1 end) as winter_item_views_season,
        count(distinct case when interactions.interaction = 'purchased' then interactions.reference_id end)
            as winter_item_orders_season
    from interactions
    inner join products on products.sku = interactions.sku
    where products.is_winter_item and interactions.interacted_at >= {{ kizuna.season_start_date() }}
    group by interactions.customer_key
),

discontinued as (
    -- how many separate orders included the same discontinued item, for the item bought most often
    select customer_key, max(orders) as discontinued_item_repeat_orders
    from (
        select interactions.customer_key, interactions.sku, count(distinct interactions.reference_id) as orders
        from interactions
        inner join products on products.sku = interactions.sku
        where products.is_discontinued and interactions.interaction = 'purchased'
        group by interactions.customer_key, interactions.sku
    ) as per_item
    group by customer_key
),

cart_adds as (
    select customer_key, interacted_at as added_at
    from interactions
    where interaction = 'added_to_cart'
        and interacted_at >= {{ dbt.dateadd('day', -var('cart_abandonment_window_days'), kizuna.as_of_date()) }}
        and interacted_at <= {{ dbt.dateadd('hour', -var('cart_abandonment_hours'), kizuna.as_of_date()) }}
),

purchases as (
    select distinct customer_key, reference_id, interacted_at as ordered_at
    from interactions
    where interaction = 'purchased'
),

abandoned as (
    -- an add to cart not followed by any order within cart_abandonment_hours
    select cart_adds.customer_key, max(cart_adds.added_at) as cart_abandoned_at
    from cart_adds
    left join purchases
        on purchases.customer_key = cart_adds.customer_key
        and purchases.ordered_at >= cart_adds.added_at
        and purchases.ordered_at <= {{ dbt.dateadd('hour', var('cart_abandonment_hours'), 'cart_adds.added_at') }}
    where purchases.customer_key is null
    group by cart_adds.customer_key
),

customers as (
    select customer_key from winter
    union
    select customer_key from discontinued
    union
    select customer_key from abandoned
)

select
    customers.customer_key,
    coalesce(winter.winter_item_views_season, 0) as winter_item_views_season,
    coalesce(winter.winter_item_orders_season, 0) as winter_item_orders_season,
    coalesce(discontinued.discontinued_item_repeat_orders, 0) as discontinued_item_repeat_orders,
    abandoned.cart_abandoned_at
from customers
left join winter on winter.customer_key = customers.customer_key
left join discontinued on discontinued.customer_key = customers.customer_key
left join abandoned on abandoned.customer_key = customers.customer_key

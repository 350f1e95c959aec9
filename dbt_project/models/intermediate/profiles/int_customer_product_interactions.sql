-- Every time a person viewed, added to cart or bought a product, online or in store.
with customers as (
    select * from {{ ref('int_identity_record_customers') }}
),

products as (
    select * from {{ ref('products') }}
),

online_purchases as (
    select
        customers.customer_key,
        'purchased' as interaction,
        lines.sku,
        products.category,
        lines.quantity,
        orders.ordered_at as interacted_at,
        lines.order_name as reference_id
    from {{ ref('stg_shopify__order_lines') }} as lines
    inner join {{ ref('stg_shopify__orders') }} as orders on orders.order_name = lines.order_name
    inner join customers on customers.record_source = 'shopify_order' and customers.record_id = lines.order_name
    left join products on products.sku = lines.sku
),

store_purchases as (
    select
        customers.customer_key,
        'purchased' as interaction,
        lines.sku,
        lines.product_category as category,
        lines.quantity,
        lines.transacted_at as interacted_at,
        lines.receipt_id as reference_id
    from {{ ref('stg_pos__receipt_lines') }} as lines
    inner join customers on customers.record_source = 'pos_receipt' and customers.record_id = lines.receipt_id
),

web_and_app as (
    select
        customers.customer_key,
        case events.event_name when 'Product Viewed' then 'viewed' else 'added_to_cart' end as interaction,
        events.product_id as sku,
        events.product_category as category,
        1 as quantity,
        events.event_at as interacted_at,
        events.cart_id as reference_id
    from {{ ref('stg_segment__events') }} as events
    inner join customers on customers.record_source = 'segment' and customers.record_id = events.message_id
    where events.event_name in ('Product Viewed', 'Product Added')
)

select * from online_purchases
union all
select * from store_purchases
union all
select * from web_and_app

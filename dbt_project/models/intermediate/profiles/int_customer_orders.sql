-- Every order of every customer, online (Shopify) and in store (POS receipts), with its net revenue.
with customers as (
    select * from {{ ref('int_identity_record_customers') }}
),

online as (
    select
        orders.order_name as order_id,
        'online' as channel,
        orders.ordered_at,
        orders.total - orders.refunded_amount as revenue,
        customers.customer_key
    from {{ ref('stg_shopify__orders') }} as orders
    inner join customers
        on customers.record_source = 'shopify_order' and customers.record_id = orders.order_name
    where not orders.is_cancelled
),

store_receipts as (
    select
        receipt_id,
        min(transacted_at) as ordered_at,
        sum(line_amount) as revenue
    from {{ ref('stg_pos__receipt_lines') }}
    group by receipt_id
),

store as (
    select
        store_receipts.receipt_id as order_id,
        'store' as channel,
        store_receipts.ordered_at,
        store_receipts.revenue,
        customers.customer_key
    from store_receipts
    inner join customers
        on customers.record_source = 'pos_receipt' and customers.record_id = store_receipts.receipt_id
)

select * from online
union all
select * from store

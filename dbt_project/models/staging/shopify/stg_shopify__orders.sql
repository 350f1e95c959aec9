-- One row per Shopify order, from the first row of each order (the one carrying the order columns).
with source as (
    select * from {{ source('shopify', 'shopify_orders') }}
    where id is not null
),

renamed as (
    select
        ----------  ids
        name as order_name,
        id as shopify_order_id,

        ----------  identifiers (the export links orders to customers by e-mail)
        {{ kizuna.normalize_email('email') }} as email,
        {{ kizuna.normalize_phone('coalesce(phone, billing_phone, shipping_phone)') }} as phone,

        ----------  strings
        financial_status,
        fulfillment_status,
        currency,
        payment_method,
        source as order_source,
        billing_province as billing_province_code,
        billing_province_name,
        shipping_province_name,
        discount_code,

        ----------  numerics
        subtotal,
        shipping as shipping_amount,
        taxes,
        total,
        coalesce(discount_amount, 0) as discount_amount,
        coalesce(refunded_amount, 0) as refunded_amount,

        ----------  booleans
        accepts_marketing = 'yes' as accepts_marketing,
        cancelled_at is not null as is_cancelled,

        ----------  timestamps
        created_at as ordered_at,
        paid_at,
        fulfilled_at,
        cancelled_at,

        ----------  lineage
        _file as source_file,
        _line as source_line,
        _loaded_at as loaded_at
    from source
),

deduplicated as (
    {{ kizuna.deduplicate('renamed', 'order_name', 'loaded_at desc, source_file desc, source_line') }}
)

select * from deduplicated

-- Latest state of each Shopify customer: exports are snapshots, the newest export row wins.
with snapshots as (
    select * from {{ ref('stg_shopify__customer_snapshots') }}
),

deduplicated as (
    {{ kizuna.deduplicate('snapshots', 'shopify_customer_id', 'loaded_at desc, source_file desc, source_line desc') }}
)

select * from deduplicated

-- One row per order line item. An order exported in several files keeps the lines of its newest file.
with source as (
    select * from {{ source('shopify', 'shopify_orders') }}
),

renamed as (
    select
        ----------  ids
        name as order_name,
        row_number() over (partition by name, _file order by _line) as line_index,

        ----------  strings
        lineitem_sku as sku,
        lineitem_name as product_name,
        lineitem_fulfillment_status as fulfillment_status,
        vendor,

        ----------  numerics
        lineitem_quantity as quantity,
        lineitem_price as unit_price,
        coalesce(lineitem_discount, 0) as discount,
        lineitem_quantity * lineitem_price - coalesce(lineitem_discount, 0) as line_amount,

        ----------  lineage
        _file as source_file,
        _line as source_line,
        _loaded_at as loaded_at
    from source
),

newest_export as (
    select
        *,
        first_value(source_file) over (
            partition by order_name order by loaded_at desc, source_file desc
        ) as newest_file
    from renamed
)

select
    {{ dbt.concat(['order_name', "'#'", dbt.cast('line_index', api.Column.translate_type('string'))]) }} as order_line_id,
    order_name,
    line_index,
    sku,
    product_name,
    fulfillment_status,
    vendor,
    quantity,
    unit_price,
    discount,
    line_amount,
    source_file,
    source_line,
    loaded_at
from newest_export
where source_file = newest_file

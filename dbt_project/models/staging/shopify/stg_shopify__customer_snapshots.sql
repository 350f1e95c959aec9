-- Every row of every Shopify customers export: one snapshot of a customer per export that listed them.
with source as (
    select * from {{ source('shopify', 'shopify_customers') }}
),

renamed as (
    select
        ----------  ids
        customer_id as shopify_customer_id,

        ----------  identifiers
        {{ kizuna.normalize_email('email') }} as email,
        {{ kizuna.normalize_phone('coalesce(phone, default_address_phone)') }} as phone,

        ----------  strings
        trim(first_name) as first_name,
        trim(last_name) as last_name,
        default_address_city as city,
        default_address_province_code as province_code,
        default_address_country_code as country_code,
        ltrim(default_address_zip, '''') as zip,
        tags,
        note,

        ----------  numerics
        total_spent,
        total_orders,

        ----------  booleans
        accepts_email_marketing = 'yes' as accepts_email_marketing,
        accepts_sms_marketing = 'yes' as accepts_sms_marketing,
        tax_exempt = 'yes' as is_tax_exempt,

        ----------  lineage
        _file as source_file,
        _line as source_line,
        _loaded_at as loaded_at
    from source
)

select * from renamed

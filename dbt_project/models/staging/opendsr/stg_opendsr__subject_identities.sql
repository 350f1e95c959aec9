-- One row per identity named in a data-subject request, normalised like every other identifier.
with requests as (
    select subject_request_id, subject_identities
    from {{ ref('stg_opendsr__requests') }}
),

flattened as (
    select
        subject_request_id,
        {{ kizuna.unnest_json_array('subject_identities') }} as identity
    from requests
),

renamed as (
    select
        subject_request_id,
        {{ kizuna.json_text('identity', '$.identity_type') }} as identity_type,
        {{ kizuna.json_text('identity', '$.identity_format') }} as identity_format,
        {{ kizuna.json_text('identity', '$.identity_value') }} as identity_value
    from flattened
)

select
    subject_request_id,
    identity_type,
    identity_format,
    case
        when identity_format <> 'raw' then lower(identity_value)
        when identity_type = 'email' then {{ kizuna.normalize_email('identity_value') }}
        when identity_type in ('phone', 'phone_number') then {{ kizuna.normalize_phone('identity_value') }}
        when identity_type in ('loyalty_card_id', 'controller_customer_id', 'customer_id')
            then {{ kizuna.normalize_digits('identity_value') }}
        else {{ kizuna.normalize_id('identity_value') }}
    end as identity_value
from renamed

-- Who each data-subject request is about: every person one of its identities resolves to. A request whose
-- identities match nobody keeps one row without a person: the answer to it is "we hold nothing".
with requests as (
    select * from {{ ref('stg_opendsr__requests') }}
),

identities as (
    select
        subject_request_id,
        -- OpenDSR identity types, in Kizuna's identifier types
        case
            when identity_type = 'phone_number' then 'phone'
            when identity_type in ('controller_customer_id', 'customer_id') then 'shopify_customer_id'
            when identity_type in ('cookie_id', 'device_id') then 'anonymous_id'
            else identity_type
        end as identifier_type,
        identity_value as identifier_value
    from {{ ref('stg_opendsr__subject_identities') }}
    where identity_format = 'raw'
),

known as (
    select * from {{ ref('customer_identities') }}
),

matched as (
    select distinct identities.subject_request_id, known.customer_key
    from identities
    inner join known
        on known.identifier_type = identities.identifier_type
        and known.identifier_value = identities.identifier_value
)

select
    {{ dbt.concat(['requests.subject_request_id', "'|'", "coalesce(matched.customer_key, '')"]) }}
        as request_subject_id,
    requests.subject_request_id,
    requests.request_type,
    requests.regulation,
    requests.submitted_at,
    matched.customer_key
from requests
left join matched on matched.subject_request_id = requests.subject_request_id

-- Every consent decision known, from every system that records one, with the people it applies to.
--   consent ledger: grants and withdrawals as recorded (Kantara receipts);
--   Shopify: each change of a customer's marketing flags between exports, dated by the first export that
--     shows it ("no" = not subscribed). A flag that merely stays "yes" is no new decision: it cannot undo
--     a withdrawal made elsewhere since;
--   SendGrid: unsubscribes and spam reports withdraw marketing e-mail.
-- A grant applies to the person whose record it is. An explicit withdrawal applies to every person who has
-- used any identifier of the withdrawing record (a family phone that texted STOP stops SMS to the whole
-- household): when in doubt, consent fails closed.
with ledger as (
    select
        consent_decision_id,
        'consent_receipt' as record_source,
        consent_receipt_id as record_id,
        'consent_ledger' as source,
        purpose,
        channel,
        consent_status as status,
        decided_at,
        policy_version
    from {{ ref('stg_consent__decisions') }}
),

shopify_flags as (
    {%- for purpose, channel, flag in [('email_marketing', 'email', 'accepts_email_marketing'),
                                        ('sms_marketing', 'sms', 'accepts_sms_marketing')] %}
    select
        snapshots.shopify_customer_id,
        snapshots.source_file,
        snapshots.source_line,
        '{{ purpose }}' as purpose,
        '{{ channel }}' as channel,
        coalesce(snapshots.{{ flag }}, false) as is_subscribed,
        exports.exported_at
    from {{ ref('stg_shopify__customer_snapshots') }} as snapshots
    inner join {{ ref('stg_shopify__customer_exports') }} as exports on exports.source_file = snapshots.source_file
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

shopify_changes as (
    select
        *,
        lag(is_subscribed) over (
            partition by shopify_customer_id, purpose order by exported_at, source_file, source_line
        ) as was_subscribed
    from shopify_flags
),

shopify as (
    select
        {{ dbt.concat(["'shopify:'", 'shopify_customer_id', "':'", 'purpose', "':'", 'source_file', "':'",
                       dbt.cast('source_line', api.Column.translate_type('string'))]) }} as consent_decision_id,
        'shopify_customer' as record_source,
        shopify_customer_id as record_id,
        'shopify_customers' as source,
        purpose,
        channel,
        case when is_subscribed then 'granted' else 'not_subscribed' end as status,
        exported_at as decided_at,
        cast(null as {{ dbt.type_string() }}) as policy_version
    from shopify_changes
    where was_subscribed is null or was_subscribed <> is_subscribed
),

esp as (
    select
        {{ dbt.concat(["'sendgrid:'", 'sg_event_id']) }} as consent_decision_id,
        'sendgrid' as record_source,
        sg_event_id as record_id,
        'sendgrid' as source,
        'email_marketing' as purpose,
        'email' as channel,
        'withdrawn' as status,
        event_at as decided_at,
        cast(null as {{ dbt.type_string() }}) as policy_version
    from {{ ref('stg_sendgrid__events') }}
    where is_opt_out
),

decisions as (
    select * from ledger
    union all
    select * from shopify
    union all
    select * from esp
),

record_nodes as (
    select * from {{ ref('int_identity_record_nodes') }}
),

record_customers as (
    select * from {{ ref('int_identity_record_customers') }}
),

-- grants and Shopify's flags: the person the record belongs to
own_customers as (
    select decisions.consent_decision_id, record_customers.customer_key
    from decisions
    inner join record_customers
        on record_customers.record_source = decisions.record_source
        and record_customers.record_id = decisions.record_id
    where decisions.status <> 'withdrawn'
),

-- explicit withdrawals: everyone who used one of the record's identifiers, in any record
withdrawal_identifiers as (
    select distinct decisions.consent_decision_id, record_nodes.node_id
    from decisions
    inner join record_nodes
        on record_nodes.record_source = decisions.record_source
        and record_nodes.record_id = decisions.record_id
    where decisions.status = 'withdrawn'
),

withdrawing_customers as (
    select distinct withdrawal_identifiers.consent_decision_id, record_customers.customer_key
    from withdrawal_identifiers
    inner join record_nodes on record_nodes.node_id = withdrawal_identifiers.node_id
    inner join record_customers
        on record_customers.record_source = record_nodes.record_source
        and record_customers.record_id = record_nodes.record_id
),

applies_to as (
    select * from own_customers
    union all
    select * from withdrawing_customers
)

select
    {{ dbt.concat(['decisions.consent_decision_id', "'|'", "coalesce(applies_to.customer_key, '')"]) }}
        as customer_decision_id,
    applies_to.customer_key,
    decisions.consent_decision_id,
    decisions.source,
    decisions.record_source,
    decisions.record_id,
    decisions.purpose,
    decisions.channel,
    decisions.status,
    decisions.decided_at,
    decisions.policy_version
from decisions
left join applies_to on applies_to.consent_decision_id = decisions.consent_decision_id
-- a withdrawal that reaches nobody stays, without a person, for the warning test to show
where applies_to.customer_key is not null or decisions.status = 'withdrawn'

-- Each person's current consent per configured purpose and channel: the latest decision across all of their
-- identities and sources wins; at the same instant a withdrawal beats a grant. No row means not granted.
with purposes as (
    select * from {{ ref('consent_purposes') }}
),

decisions as (
    select * from {{ ref('int_consent_decisions') }} where customer_key is not null
),

-- a decision for channel "all" covers every channel of its purpose; anything but a grant covers every channel
-- of its purpose whatever channel it names (a withdrawal is never lost to a channel nobody configured)
per_channel as (
    select
        decisions.*,
        purposes.channel as purpose_channel
    from decisions
    inner join purposes
        on purposes.purpose = decisions.purpose
        and (decisions.channel = purposes.channel or decisions.channel = 'all' or decisions.status <> 'granted')
),

ranked as (
    select
        per_channel.*,
        count(*) over (partition by customer_key, purpose, purpose_channel) as decisions_known,
        row_number() over (
            partition by customer_key, purpose, purpose_channel
            order by decided_at desc, case when status = 'granted' then 1 else 0 end, consent_decision_id
        ) as recency_rank
    from per_channel
)

select
    {{ dbt.concat(['customer_key', "'|'", 'purpose', "'|'", 'purpose_channel']) }} as customer_consent_id,
    customer_key,
    purpose,
    purpose_channel as channel,
    status,
    status = 'granted' as is_granted,
    decided_at,
    source,
    policy_version,
    consent_decision_id,
    decisions_known
from ranked
where recency_rank = 1

-- Progressive profiling: for each person, profile completeness and the next question worth asking:
-- the highest-priority question whose attribute is unknown or expired, whose prerequisites are known,
-- not asked within its cooldown, and only while the person has been asked fewer than
-- questions_per_period questions in the last question_period_days.
with customers as (
    select customer_key from {{ ref('customer_profiles') }}
),

catalog as (
    select * from {{ ref('question_catalog') }}
),

known as (
    -- a zero-party answer that has not expired
    select customer_key, attribute
    from {{ ref('customer_attributes') }}
    where is_current and kind = 'declared'
),

shown as (
    -- every question a form showed a person, answered or not
    select
        record_customers.customer_key,
        questions.question_ref,
        questions.shown_at
    from {{ ref('stg_typeform__questions_shown') }} as questions
    inner join {{ ref('int_identity_record_customers') }} as record_customers
        on record_customers.record_source = 'form_response' and record_customers.record_id = questions.response_id
),

asked as (
    select customer_key, question_ref as attribute, max(shown_at) as last_asked_at
    from shown
    group by customer_key, question_ref
),

recently_asked as (
    select customer_key, count(distinct question_ref) as questions_in_period
    from shown
    where shown_at >= {{ dbt.dateadd('day', -var('question_period_days'), kizuna.as_of_date()) }}
    group by customer_key
),

candidates as (
    select
        customers.customer_key,
        catalog.question_id,
        catalog.attribute,
        catalog.priority,
        catalog.prerequisites,
        catalog.cooldown_days,
        catalog.channels,
        catalog.question_text,
        catalog.weight,
        known.attribute is not null as is_known,
        asked.last_asked_at
    from customers
    cross join catalog
    left join known on known.customer_key = customers.customer_key and known.attribute = catalog.attribute
    left join asked on asked.customer_key = customers.customer_key and asked.attribute = catalog.attribute
),

prerequisites as (
    -- a question is ready when every prerequisite question's attribute is known
    select
        candidates.customer_key,
        candidates.question_id,
        bool_and(prerequisite.is_known) as prerequisites_known
    from candidates
    inner join candidates as prerequisite
        on prerequisite.customer_key = candidates.customer_key
        and {{ dbt.position("';' || prerequisite.question_id || ';'", "';' || candidates.prerequisites || ';'") }} > 0
    group by candidates.customer_key, candidates.question_id
),

eligible as (
    select
        candidates.*,
        row_number() over (partition by candidates.customer_key order by candidates.priority) as ask_rank
    from candidates
    left join prerequisites
        on prerequisites.customer_key = candidates.customer_key and prerequisites.question_id = candidates.question_id
    where not candidates.is_known
        and coalesce(prerequisites.prerequisites_known, true)
        and (candidates.last_asked_at is null
             or candidates.last_asked_at < {{ dbt.dateadd('day', '-candidates.cooldown_days', kizuna.as_of_date()) }})
),

completeness as (
    select
        customer_key,
        round(sum(case when is_known then weight else 0 end) * 1.0 / sum(weight), 3) as profile_completeness
    from candidates
    group by customer_key
)

select
    customers.customer_key,
    completeness.profile_completeness,
    coalesce(recently_asked.questions_in_period, 0) as questions_asked_in_period,
    case when coalesce(recently_asked.questions_in_period, 0) < {{ var('questions_per_period') }}
         then eligible.question_id end as next_question_id,
    case when coalesce(recently_asked.questions_in_period, 0) < {{ var('questions_per_period') }}
         then eligible.attribute end as next_question_attribute,
    case when coalesce(recently_asked.questions_in_period, 0) < {{ var('questions_per_period') }}
         then eligible.question_text end as next_question_text,
    case when coalesce(recently_asked.questions_in_period, 0) < {{ var('questions_per_period') }}
         then eligible.channels end as next_question_channels
from customers
inner join completeness on completeness.customer_key = customers.customer_key
left join eligible on eligible.customer_key = customers.customer_key and eligible.ask_rank = 1
left join recently_asked on recently_asked.customer_key = customers.customer_key

-- Segment membership with its history: one row per stay of a person in a segment. Each run closes the stays
-- of people who left (exited_at and why) and opens stays for people who entered; history is never rebuilt.
{{ config(materialized='incremental', unique_key='segment_membership_id', incremental_strategy='delete+insert') }}
{%- set run_at = "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S') ~ "' as " ~ dbt.type_timestamp() ~ ")" %}

with members as (
    select * from {{ ref('int_segment_members') }}
),

definitions as (
    select * from {{ source('segments', 'segment_definitions') }}
),

profiles as (
    select customer_key from {{ ref('customer_profiles') }}
),

open_stays as (
    {% if is_incremental() %}
    select * from {{ this }} where exited_at is null
    {% else %}
    select
        cast(null as {{ dbt.type_string() }}) as segment_membership_id,
        cast(null as {{ dbt.type_string() }}) as segment_name,
        cast(null as {{ dbt.type_string() }}) as customer_key,
        cast(null as {{ dbt.type_string() }}) as definition_version,
        cast(null as {{ dbt.type_timestamp() }}) as entered_at,
        cast(null as {{ dbt.type_timestamp() }}) as exited_at,
        cast(null as {{ dbt.type_string() }}) as change_reason
    where 1 = 0
    {% endif %}
),

entered as (
    select
        {{ dbt.concat(['members.segment_name', "'|'", 'members.customer_key', "'|'", "'" ~ run_started_at.strftime('%Y%m%dT%H%M%S') ~ "'"]) }}
            as segment_membership_id,
        members.segment_name,
        members.customer_key,
        members.definition_version,
        {{ run_at }} as entered_at,
        cast(null as {{ dbt.type_timestamp() }}) as exited_at,
        {{ dbt.concat(["'entered: matches the rule (definition '", 'members.definition_version', "')'"]) }}
            as change_reason
    from members
    left join open_stays
        on open_stays.segment_name = members.segment_name and open_stays.customer_key = members.customer_key
    where open_stays.segment_membership_id is null
),

exited as (
    select
        open_stays.segment_membership_id,
        open_stays.segment_name,
        open_stays.customer_key,
        open_stays.definition_version,
        open_stays.entered_at,
        {{ run_at }} as exited_at,
        case
            when definitions.segment_name is null then 'exited: segment retired'
            when profiles.customer_key is null then 'exited: customer key retired (merged into another profile or erased)'
            when definitions.definition_version <> open_stays.definition_version
                then {{ dbt.concat(["'exited: no longer matches the rule as changed (definition '", 'definitions.definition_version', "')'"]) }}
            else 'exited: no longer matches the rule'
        end as change_reason
    from open_stays
    left join members
        on members.segment_name = open_stays.segment_name and members.customer_key = open_stays.customer_key
    left join definitions on definitions.segment_name = open_stays.segment_name
    left join profiles on profiles.customer_key = open_stays.customer_key
    where members.customer_key is null
)

select * from entered
union all
select * from exited

-- Who is in each segment now: each definition's checked rule evaluated over the segment profile columns.
-- The rules come from segments.segment_definitions, where only rules that passed the checks are written.
-- depends_on: {{ source('segments', 'segment_definitions') }}
{%- set definitions = [] %}
{%- if execute %}
    {%- set result = run_query(
        "select segment_name, definition_version, rule_sql from " ~ source('segments', 'segment_definitions')
        ~ " order by segment_name") %}
    {%- set definitions = result.rows %}
{%- endif %}

with profiles as (
    select * from {{ ref('int_segment_profiles') }}
)

{% for segment_name, definition_version, rule_sql in definitions %}
select
    '{{ segment_name }}' as segment_name,
    '{{ definition_version }}' as definition_version,
    customer_key
from profiles
where {{ rule_sql }}
union all
{% endfor %}
select
    cast(null as {{ dbt.type_string() }}) as segment_name,
    cast(null as {{ dbt.type_string() }}) as definition_version,
    cast(null as {{ dbt.type_string() }}) as customer_key
where 1 = 0

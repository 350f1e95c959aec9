{#-
    dbt's unique test, for a table that grows by appends (macros/incremental.sql): every key the latest build
    staged occurs once in the whole table. Earlier builds were judged when they ran, so a daily build reads
    the key column once instead of grouping the whole history; a build from scratch judges every key.

    Within `dbt build`, the latest build is this invocation's, and when it staged nothing there is nothing to
    judge (the previous build is not judged again, nor, after a rebuild, the whole table); its rows are stamped
    at or after the invocation's start (macros/incremental.sql, staged_now). A `dbt test` of its own judges the
    latest build, whenever it ran.
-#}
{% test unique_keys_of_latest_build(model, column_name) %}

with latest_keys as (
    select {{ column_name }} as key
    from {{ model }}
    where staged_at = (select max(staged_at) from {{ model }})
    {%- if flags.WHICH == 'build' %}
        and staged_at >= {{ kizuna.invocation_started() }}
    {%- endif %}
)

select {{ column_name }} as unique_field, count(*) as n_records
from {{ model }}
where {{ column_name }} in (select key from latest_keys)
group by {{ column_name }}
having count(*) > 1

{% endtest %}

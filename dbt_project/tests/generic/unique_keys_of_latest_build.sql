{#-
    dbt's unique test, for a table that grows by appends (macros/incremental.sql): every key the latest build
    staged occurs once in the whole table. Earlier builds were judged when they ran, so a daily build reads
    the key column once instead of grouping the whole history; a build from scratch judges every key.
-#}
{% test unique_keys_of_latest_build(model, column_name) %}

with latest_keys as (
    select {{ column_name }} as key
    from {{ model }}
    where staged_at = (select max(staged_at) from {{ model }})
)

select {{ column_name }} as unique_field, count(*) as n_records
from {{ model }}
where {{ column_name }} in (select key from latest_keys)
group by {{ column_name }}
having count(*) > 1

{% endtest %}

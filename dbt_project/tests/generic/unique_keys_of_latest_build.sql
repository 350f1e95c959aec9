{#-
    dbt's unique test, for a table that grows by appends (macros/incremental.sql): every key the latest build
    staged occurs once in the whole table. Earlier builds were judged when they ran, so a daily build reads
    one column of the history instead of grouping it; a build from scratch judges every key.

    That column is the keys' digest, key_digest (macros/portability/key_digest.sql), which every appended model
    stores beside its key: fixed-width, so cheaper to read than the keys' text. Equal keys have equal digests, so
    a key staged twice always shows; the latest build's digests are checked to be its keys', so a model whose
    key_digest is not the tested column's fails rather than passes.

    Within `dbt build`, the latest build is this invocation's, and when it staged nothing there is nothing to
    judge (the previous build is not judged again, nor, after a rebuild, the whole table); its rows are stamped
    at or after the invocation's start (macros/incremental.sql, staged_now). A `dbt test` of its own judges the
    latest build, whenever it ran.
-#}
{% test unique_keys_of_latest_build(model, column_name) %}

with latest as (
    select {{ column_name }} as key, key_digest
    from {{ model }}
    where staged_at = (select max(staged_at) from {{ model }})
    {%- if flags.WHICH == 'build' %}
        and staged_at >= {{ kizuna.invocation_started() }}
    {%- endif %}
),

repeated as (
    select key_digest, count(*) as n_records
    from {{ model }}
    where key_digest in (select key_digest from latest)
    group by key_digest
    having count(*) > 1
)

select distinct latest.key as unique_field, repeated.n_records
from repeated
inner join latest on latest.key_digest = repeated.key_digest

union all

select key as unique_field, null as n_records
from latest
where key_digest is distinct from {{ kizuna.key_digest('key') }}

{% endtest %}

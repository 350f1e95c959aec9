{#-
    Append-only sources (events, e-mail engagement, store receipts, consent receipts, form responses, and
    the answers and questions of those responses) are staged incrementally, so that a daily build costs in
    proportion to what arrived, not to the history.

    New rows are chosen by load time, not event time: every raw row loaded since the last build is staged,
    however late its event is. An event-time watermark would silently drop events later than its lookback
    (a phone offline for a week, a vendor re-sending last month). raw._loaded_at only moves forward: every
    write to the warehouse holds the single-writer pool, and the loader stamps a load after the source's
    latest one even when the clock steps back. The bound is read before the model's SQL is built and goes
    into it as a constant, which any engine can prune storage with (DuckDB's zone maps here, partitions
    elsewhere). A full refresh rebuilds from raw.

    A key that is already staged is never staged again: a vendor's re-delivered copy (an SDK or webhook
    retry, a receipt sent twice, however much later) keeps the first delivery, in an increment exactly as
    in a rebuild from raw. The new rows are compared with the staged keys' digests (key_digest, a column of
    every appended model: macros/portability/key_digest.sql), which reads that fixed-width column once.

    Usage, in a model materialized as incremental:
        ... from {{ source(...) }} {{ kizuna.loaded_since() }}
        select deduplicated.*, {{ kizuna.key_digest('message_id') }} as key_digest,
            {{ kizuna.staged_now() }} as staged_at
        from deduplicated {{ kizuna.not_staged_yet('deduplicated', 'message_id') }}
-#}

{#- The raw rows loaded after the last build (all of them when the model is built from scratch). -#}
{% macro loaded_since() -%}
    {%- if execute and is_incremental() %}
        {%- set loaded_after = kizuna.latest_in_this('loaded_at') or '1970-01-01 00:00:00+00' %}
    where _loaded_at > {{ kizuna.timestamp_tz_literal(loaded_after) }}
    {%- endif %}
{%- endmacro %}


{#- Rows of ``relation`` whose key is not staged yet (all of them when the model is built from scratch). -#}
{% macro not_staged_yet(relation, key) -%}
    {%- if execute and is_incremental() %}
    where not exists (
        select 1 from {{ this }} as staged
        where staged.key_digest = {{ kizuna.key_digest(relation ~ '.' ~ key) }}
    )
    {%- endif %}
{%- endmacro %}


{#-
    For a model staged from another appended model (the answers and the questions of the form responses): the
    rows of ``relation`` (the parent) whose ``key`` has no rows here yet. A parent staged at some time gets its
    rows here in that build or a later one, stamped at or after it, so only the parents staged since this
    model's latest build can lack them: both sides are read from that stamp on, not over the history.
-#}
{% macro parents_not_staged_yet(relation, key) -%}
    {%- if execute and is_incremental() %}
        {%- set latest = kizuna.latest_in_this('staged_at') %}
        {%- if latest %}
    where {{ relation }}.staged_at >= {{ kizuna.timestamp_tz_literal(latest) }}
        and not exists (
            select 1 from {{ this }} as staged
            where staged.staged_at >= {{ kizuna.timestamp_tz_literal(latest) }}
                and staged.{{ key }} = {{ relation }}.{{ key }}
        )
        {%- endif %}
    {%- endif %}
{%- endmacro %}


{#-
    When the row was staged: the dbt invocation's start, one value per build, and never before an earlier
    build's (a clock stepping back gives the latest stamp again, and that build is judged with this one).
    A daily build's checks judge what the build added (tests/generic/unique_keys_of_latest_build.sql, the
    identifier suites in quality/suites.py); after a rebuild every row shares one value and all is judged.
-#}
{% macro staged_now() -%}
    {%- set started = kizuna.invocation_started() -%}
    {%- if execute and is_incremental() -%}
        greatest({{ started }}, coalesce((select max(staged_at) from {{ this }}), {{ started }}))
    {%- else -%}
        {{ started }}
    {%- endif -%}
{%- endmacro %}


{#- The dbt invocation's start, as a literal: the stamp of what it stages. -#}
{% macro invocation_started() -%}
    {{ kizuna.timestamp_tz_literal(run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') ~ '+00:00') }}
{%- endmacro %}


{#- The latest value of a time ``column`` of the model being built, as text (none when it is empty): read before
    the model's SQL is built, so it goes into that SQL as a constant storage can be pruned with. -#}
{% macro latest_in_this(column) -%}
    {{- return(kizuna.query_text("select cast(max(" ~ column ~ ") as " ~ dbt.type_string() ~ ") from " ~ this)) -}}
{%- endmacro %}


{% macro query_text(sql) -%}
    {%- set result = run_query(sql) -%}
    {{- return(result.columns[0].values()[0] if result.rows | length > 0 else none) -}}
{%- endmacro %}


{% macro timestamp_tz_literal(text) -%}
    cast('{{ text }}' as timestamp with time zone)
{%- endmacro %}

{#-
    Append-only sources (events, e-mail engagement, store receipts, consent receipts, form responses) are
    staged incrementally, so that a daily build costs in proportion to what arrived, not to the history.

    New rows are chosen by load time, not event time: every raw row loaded since the last build is staged,
    however late its event is. An event-time watermark would silently drop events later than its lookback
    (a phone offline for a week, a vendor re-sending last month). raw._loaded_at only moves forward: every
    write to the warehouse holds the single-writer pool, and the loader stamps a load after the source's
    latest one even when the clock steps back.

    A vendor's re-delivered copy of a message that is already staged must not come in twice. Copies carry
    the message's own timestamp, so the new rows are compared with the staged rows whose event time is at
    most var staging_lookback_days before the earliest new event: the comparison reads the recent end of
    the table, not all of it.

    Both bounds are read before the model's SQL is built and go into it as constants, which any engine can
    prune storage with (DuckDB's zone maps here, partitions elsewhere). A full refresh rebuilds from raw.

    Usage, in a model materialized as incremental:
        {%- set window = kizuna.incremental_window(source('segment', 'events'), 'event_timestamp') %}
        ... from {{ source(...) }} {{ kizuna.loaded_since(window) }}
        ... from deduplicated {{ kizuna.not_staged_yet(window, 'deduplicated', 'message_id', 'event_at') }}
-#}

{% macro incremental_window(source_relation, source_event_at) -%}
    {%- if not (execute and is_incremental()) -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set loaded_after = kizuna.query_text(
        "select cast(max(loaded_at) as " ~ dbt.type_string() ~ ") from " ~ this
    ) or '1970-01-01 00:00:00+00' -%}
    {%- set compare_from = kizuna.query_text(
        "select cast(" ~ dbt.dateadd('day', -(var('staging_lookback_days') | int), 'min(' ~ source_event_at ~ ')')
        ~ " as " ~ dbt.type_string() ~ ") from " ~ source_relation
        ~ " where _loaded_at > " ~ kizuna.timestamp_tz_literal(loaded_after)
    ) or loaded_after -%}
    {{- return({'loaded_after': loaded_after, 'compare_from': compare_from}) -}}
{%- endmacro %}


{#- The raw rows loaded after the last build (all of them when the model is built from scratch). -#}
{% macro loaded_since(window) -%}
    {%- if window is not none %}
    where _loaded_at > {{ kizuna.timestamp_tz_literal(window.loaded_after) }}
    {%- endif %}
{%- endmacro %}


{#- New rows whose key is not staged yet, among the staged rows the lookback reaches. -#}
{% macro not_staged_yet(window, relation, key, event_at) -%}
    {%- if window is not none %}
    where not exists (
        select 1 from {{ this }} as staged
        where staged.{{ event_at }} >= {{ kizuna.timestamp_tz_literal(window.compare_from) }}
          and staged.{{ key }} = {{ relation }}.{{ key }}
    )
    {%- endif %}
{%- endmacro %}


{#-
    When the row was staged: the dbt invocation's start, one value per build. A daily build's checks judge
    what that build added (tests/generic/unique_keys_of_latest_build.sql, the identifier suites in
    quality/suites.py); after a rebuild every row shares one value and everything is judged.
-#}
{% macro staged_now() -%}
    {{ kizuna.timestamp_tz_literal(run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') ~ '+00:00') }}
{%- endmacro %}


{#-
    For a model derived from an incrementally staged one (one row per answer of a form response): the rows
    its parent staged since this model's last build. They keep the parent's staged_at, so the filter is exact.
-#}
{% macro staged_after_last_build() -%}
    {%- if execute and is_incremental() %}
        {%- set staged_after = kizuna.query_text(
            "select cast(max(staged_at) as " ~ dbt.type_string() ~ ") from " ~ this
        ) or '1970-01-01 00:00:00+00' %}
    where staged_at > {{ kizuna.timestamp_tz_literal(staged_after) }}
    {%- endif %}
{%- endmacro %}


{% macro query_text(sql) -%}
    {%- set result = run_query(sql) -%}
    {{- return(result.columns[0].values()[0] if result.rows | length > 0 else none) -}}
{%- endmacro %}


{% macro timestamp_tz_literal(text) -%}
    cast('{{ text }}' as timestamp with time zone)
{%- endmacro %}

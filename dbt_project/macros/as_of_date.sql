{#- The date everything time-relative is computed for, as an ISO string: KIZUNA_AS_OF (default today), which
    the dbt step sets to the run's date. It is read only when a node runs (`execute`), never while dbt parses:
    dbt parses the whole project again when a --vars value changes (about 2.5 s), and again every file that read
    an environment variable whose value changed, so a date read at parse time, new every day, made the first dbt
    command of every day parse. Only the SQL a node runs depends on the date, and dbt renders that afresh. -#}
{% macro as_of_iso() -%}
    {{- env_var("KIZUNA_AS_OF", modules.datetime.date.today().isoformat()) if execute else "1970-01-01" -}}
{%- endmacro %}

{#- The as-of date as a SQL date. -#}
{% macro as_of_date() -%}
    cast('{{ kizuna.as_of_iso() }}' as date)
{%- endmacro %}

{#- The first day of the current autumn-winter season (var winter_season_start_month) as of the as-of date. -#}
{% macro season_start_date() -%}
    {%- set as_of = modules.datetime.date.fromisoformat(kizuna.as_of_iso()) -%}
    {%- set month = var("winter_season_start_month") | int -%}
    {%- set year = as_of.year if as_of.month >= month else as_of.year - 1 -%}
    cast('{{ "%04d-%02d-01" | format(year, month) }}' as date)
{%- endmacro %}

{#- The as-of month as two digits ('01'..'12'), to compare with the month of an ISO date. -#}
{% macro as_of_month() -%}
    '{{ "%02d" | format(modules.datetime.date.fromisoformat(kizuna.as_of_iso()).month) }}'
{%- endmacro %}

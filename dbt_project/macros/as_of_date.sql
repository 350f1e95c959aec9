{#- The date everything time-relative is computed for: KIZUNA_AS_OF via the as_of var (default today). -#}
{% macro as_of_date() -%}
    cast('{{ var("as_of", modules.datetime.date.today().isoformat()) }}' as date)
{%- endmacro %}

{#- The first day of the current autumn-winter season (var winter_season_start_month) as of the as-of date. -#}
{% macro season_start_date() -%}
    {%- set as_of = modules.datetime.date.fromisoformat(var("as_of", modules.datetime.date.today().isoformat())) -%}
    {%- set month = var("winter_season_start_month") | int -%}
    {%- set year = as_of.year if as_of.month >= month else as_of.year - 1 -%}
    cast('{{ "%04d-%02d-01" | format(year, month) }}' as date)
{%- endmacro %}

{#- The as-of month as two digits ('01'..'12'), to compare with the month of an ISO date. -#}
{% macro as_of_month() -%}
    '{{ "%02d" | format(modules.datetime.date.fromisoformat(var("as_of", modules.datetime.date.today().isoformat())).month) }}'
{%- endmacro %}

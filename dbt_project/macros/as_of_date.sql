{#- The date everything time-relative is computed for: KIZUNA_AS_OF via the as_of var (default today). -#}
{% macro as_of_date() -%}
    cast('{{ var("as_of", modules.datetime.date.today().isoformat()) }}' as date)
{%- endmacro %}

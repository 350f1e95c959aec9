{#- JSON access differs by engine. Raw tables keep nested vendor payloads as JSON. -#}

{% macro json_text(column, path) -%}
    {{ return(adapter.dispatch('json_text', 'kizuna')(column, path)) }}
{%- endmacro %}

{# path is a JSONPath such as '$.traits.email' #}
{% macro default__json_text(column, path) -%}
    json_value({{ column }}, '{{ path }}')
{%- endmacro %}

{% macro duckdb__json_text(column, path) -%}
    json_extract_string({{ column }}, '{{ path }}')
{%- endmacro %}

{% macro spark__json_text(column, path) -%}
    get_json_object({{ column }}, '{{ path }}')
{%- endmacro %}


{% macro json_value_of(column, path) -%}
    {{ return(adapter.dispatch('json_value_of', 'kizuna')(column, path)) }}
{%- endmacro %}

{# the JSON (object, array or scalar) found at path, still as JSON #}
{% macro default__json_value_of(column, path) -%}
    json_query({{ column }}, '{{ path }}')
{%- endmacro %}

{% macro duckdb__json_value_of(column, path) -%}
    json_extract({{ column }}, '{{ path }}')
{%- endmacro %}


{% macro unnest_json_array(column, path='$[*]') -%}
    {{ return(adapter.dispatch('unnest_json_array', 'kizuna')(column, path)) }}
{%- endmacro %}

{# one row per element matched by path (wildcards allowed), used in a select list #}
{% macro duckdb__unnest_json_array(column, path) -%}
    unnest(json_extract({{ column }}, '{{ path }}'))
{%- endmacro %}

{% macro default__unnest_json_array(column, path) -%}
    {{ exceptions.raise_compiler_error("unnest_json_array has no implementation for adapter " ~ adapter.type()) }}
{%- endmacro %}

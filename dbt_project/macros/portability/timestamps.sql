{#- Nanoseconds since the Unix epoch (a file's modification time) as a UTC timestamp. -#}

{% macro epoch_ns_to_timestamp(column) -%}
    {{ return(adapter.dispatch('epoch_ns_to_timestamp', 'kizuna')(column)) }}
{%- endmacro %}

{% macro default__epoch_ns_to_timestamp(column) -%}
    to_timestamp({{ column }} / 1000000000.0)
{%- endmacro %}

{% macro spark__epoch_ns_to_timestamp(column) -%}
    timestamp_micros(cast({{ column }} / 1000 as bigint))
{%- endmacro %}

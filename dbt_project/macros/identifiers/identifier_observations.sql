{#-
  Unpivot the identifier columns of one relation into observations:
  (record_source, record_id, observed_at, identifier_type, identifier_value).
  columns maps an identifier type to the column holding it; NULLs are skipped.
-#}
{% macro identifier_observations(relation, record_source, record_id, observed_at, columns) -%}
    {%- for identifier_type, column in columns.items() %}
    select
        '{{ record_source }}' as record_source,
        {{ dbt.cast(record_id, api.Column.translate_type('string')) }} as record_id,
        {{ observed_at }} as observed_at,
        '{{ identifier_type }}' as identifier_type,
        {{ dbt.cast(column, api.Column.translate_type('string')) }} as identifier_value
    from {{ relation }}
    where {{ column }} is not null
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}

{#- Identifiers are normalised here, once, and nowhere else. -#}

{#-
  NFKC folding of the characters that occur in typed identifiers: the full-width
  ASCII block (U+FF01-U+FF5E, e.g. ０９０, ａｂｃ＠ｅｘ．ｊｐ) and the ideographic
  space (U+3000). NFKC maps exactly these to ASCII; a translate() keeps it
  portable, since not every engine has a Unicode normalisation function.
-#}
{% macro nfkc_ascii(expression) -%}
    translate({{ expression }}, '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～　', '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~ ')
{%- endmacro %}


{#- E-mail: NFKC, strip surrounding white space (tabs too), lower-case; NULL unless it looks like local@domain.tld. -#}
{% macro normalize_email(expression) -%}
    {%- set cleaned = "lower(" ~ kizuna.regexp_replace_all(kizuna.nfkc_ascii(expression), "^[[:space:]]+|[[:space:]]+$", "") ~ ")" -%}
    case
        when {{ kizuna.regexp_like(cleaned, "'^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$'") }}
        then {{ cleaned }}
    end
{%- endmacro %}


{#-
  Phone: NFKC, keep digits (and a leading +), then E.164. National numbers
  (leading 0, or 9-10 digits whose leading 0 a spreadsheet dropped) get the
  default country code (var default_phone_country_code, Japan: 81); 00 is the
  international prefix. NULL unless the result is a plausible E.164 number.
-#}
{% macro normalize_phone(expression, country_code=none) -%}
    {%- set cc = country_code or var('default_phone_country_code') -%}
    {%- set digits = kizuna.regexp_replace_all(kizuna.nfkc_ascii(expression), '[^0-9+]', '') -%}
    {%- set candidate -%}
        case
            when {{ digits }} like '+%' then '+' || replace(substr({{ digits }}, 2), '+', '')
            when {{ digits }} like '00%' then '+' || substr({{ digits }}, 3)
            when {{ digits }} like '0%' then '+{{ cc }}' || substr({{ digits }}, 2)
            when {{ digits }} like '{{ cc }}%' and length({{ digits }}) between 11 and 12 then '+' || {{ digits }}
            when length({{ digits }}) between 9 and 10 then '+{{ cc }}' || {{ digits }}
        end
    {%- endset -%}
    case
        when {{ kizuna.regexp_like(candidate, "'^\\+[1-9][0-9]{7,14}$'") }} then {{ candidate }}
    end
{%- endmacro %}


{#- Card numbers and other digit codes: NFKC, digits only; NULL when nothing is left. -#}
{% macro normalize_digits(expression) -%}
    nullif({{ kizuna.regexp_replace_all(kizuna.nfkc_ascii(expression), '[^0-9]', '') }}, '')
{%- endmacro %}


{#- Free-text identifiers (Segment ids, LINE ids): trimmed, empty means absent. -#}
{% macro normalize_id(expression) -%}
    nullif(trim({{ expression }}), '')
{%- endmacro %}

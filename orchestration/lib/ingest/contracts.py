"""Source contracts, declared as data and compiled to one validating, typing SQL query.

A contract lists the fields of a source (where each comes from, its kind,
whether it is required) and any cross-field rules. The compiled query takes
framed records (file, line, original text or CSV cells) and yields the typed
columns plus ``_reject_reason``: NULL for a good record, otherwise the first
rule it breaks. Reasons name fields, never values, so they are safe to show in
run metadata (no PII); the original text stays in ``raw.quarantine``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# kind -> (DuckDB column type, expression typing the text value `{v}`, description of a bad value)
KINDS: dict[str, tuple[str, str, str]] = {
    "text": ("VARCHAR", "{v}", ""),
    "enum": ("VARCHAR", "lower(trim({v}))", "has a value outside the allowed set"),
    "integer": ("BIGINT", "try_cast(ltrim(trim({v}), '''') AS BIGINT)", "is not an integer"),
    "number": ("DECIMAL(18,2)", "try_cast(ltrim(trim({v}), '''') AS DECIMAL(18,2))", "is not a number"),
    "timestamp": (
        "TIMESTAMPTZ",
        "coalesce(try_cast({v} AS TIMESTAMPTZ), try_strptime({v}, '%Y-%m-%d %H:%M:%S %z'))",
        "is not a timestamp",
    ),
    "epoch": ("TIMESTAMPTZ", "to_timestamp(try_cast({v} AS DOUBLE))", "is not a Unix timestamp"),
    "object": ("JSON", "{v}", "is not a JSON object"),
    "array": ("JSON", "{v}", "is not a JSON array"),
    "json": ("JSON", "{v}", ""),
}
NESTED_KINDS = {"object", "array", "json"}


@dataclass(frozen=True)
class Field:
    column: str  # column in raw.<source>
    origin: str  # JSON path ('$.messageId') or CSV header ('Customer ID')
    kind: str = "text"
    required: bool = False
    values: tuple[str, ...] = ()  # allowed values for kind 'enum' (lower case)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"field {self.column}: unknown kind {self.kind!r}")
        if (self.kind == "enum") != bool(self.values):
            raise ValueError(f"field {self.column}: enum fields, and only they, list values")


@dataclass(frozen=True)
class Rule:
    bad_when: str  # SQL over typed columns, TRUE when the record breaks the rule
    reason: str


@dataclass(frozen=True)
class Contract:
    source: str  # landing folder and raw table name
    format: str  # 'jsonl' or 'csv'
    vendor: str
    description: str
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...] = field(default=())
    # CSV column shared by the rows of one multi-row record (an order's line items): removing a record for
    # erasure removes its whole group, so no order line outlives its order
    record_group: str | None = None

    @property
    def table(self) -> str:
        return f"raw.{self.source}"

    @property
    def required_headers(self) -> list[str]:
        return [f.origin for f in self.fields if f.required]

    def column_types(self) -> dict[str, str]:
        return {f.column: KINDS[f.kind][0] for f in self.fields}


def snake(header: str) -> str:
    """'Lineitem compare at price' -> 'lineitem_compare_at_price'."""
    return re.sub(r"[^0-9a-z]+", "_", header.lower()).strip("_")


def csv_fields(header: list[str], typed: dict[str, Field]) -> tuple[Field, ...]:
    """Every column of a vendor CSV as text, except those given a kind explicitly."""
    return tuple(typed.get(name, Field(snake(name), name)) for name in header)


def _quote(values: tuple[str, ...]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _checks(f: Field, typed: str, text: str) -> list[tuple[str, str]]:
    name = f.origin.removeprefix("$.")
    checks = []
    if f.required:
        checks.append((f"{text} IS NULL OR trim({text}) = ''", f"missing required field {name}"))
    bad_value = KINDS[f.kind][2]
    if f.kind == "enum":
        checks.append((f"{text} IS NOT NULL AND {typed} NOT IN ({_quote(f.values)})", f"field {name} {bad_value}"))
    elif f.kind in ("object", "array"):
        checks.append((f"{text} IS NOT NULL AND json_type({text}) <> '{f.kind.upper()}'", f"field {name} {bad_value}"))
    elif bad_value:
        checks.append((f"{text} IS NOT NULL AND trim({text}) <> '' AND {typed} IS NULL", f"field {name} {bad_value}"))
    return checks


def compile_contract(contract: Contract, framed: str, loaded_at_param: str = "$loaded_at") -> str:
    """SQL selecting typed columns, lineage and ``_reject_reason`` from the framed relation.

    The framed relation has ``_file, _line, _raw, _pre_reject`` and, for CSV,
    one VARCHAR column per contract field named after it (NULL when absent).
    """
    if contract.format == "jsonl":
        scalar = [f for f in contract.fields if f.kind not in NESTED_KINDS]
        nested = [f for f in contract.fields if f.kind in NESTED_KINDS]
        paths = lambda fs: "[" + ", ".join("'" + f.origin + "'" for f in fs) + "]"  # noqa: E731
        # json_extract with a list of paths parses each document once for all of them
        extract = f"""
            SELECT _file, _line, _raw, _pre_reject, _doc,
                   {f"json_extract_string(_doc, {paths(scalar)})" if scalar else "NULL"} AS _s,
                   {f"json_extract(_doc, {paths(nested)})" if nested else "NULL"} AS _n
            FROM (SELECT *, CASE WHEN _pre_reject IS NULL AND json_valid(_raw) THEN _raw END AS _doc
                  FROM {framed})"""
        texts = {f.column: f"_s[{scalar.index(f) + 1}]" for f in scalar}
        texts.update({f.column: f"_n[{nested.index(f) + 1}]" for f in nested})
        document_checks = [
            ("_doc IS NULL", "line is not valid JSON"),
            ("json_type(_doc) <> 'OBJECT'", "line is not a JSON object"),
        ]
    else:
        extract = f"SELECT *, NULL AS _doc FROM {framed}"
        texts = {f.column: f"nullif({f.column}, '')" for f in contract.fields}
        document_checks = []

    typed_select = ",\n".join(f"{KINDS[f.kind][1].format(v=texts[f.column])} AS {f.column}" for f in contract.fields)
    text_select = ",\n".join(f"{texts[f.column]} AS _t_{f.column}" for f in contract.fields)
    checks = [("_pre_reject IS NOT NULL", None), *document_checks]
    for f in contract.fields:
        checks += _checks(f, f.column, f"_t_{f.column}")
    checks += [(rule.bad_when, rule.reason) for rule in contract.rules]
    reason_case = (
        "CASE\n"
        + "\n".join(
            f"WHEN {cond} THEN {'_pre_reject' if reason is None else _quote((reason,))}" for cond, reason in checks
        )
        + "\nEND"
    )
    columns = ", ".join(f.column for f in contract.fields)
    return f"""
        WITH extracted AS ({extract}),
        typed AS (
            SELECT _file, _line, _raw, _pre_reject, _doc,
                   {typed_select},
                   {text_select}
            FROM extracted
        ),
        judged AS (SELECT *, {reason_case} AS _reject_reason FROM typed)
        SELECT {columns}, _file, _line, {loaded_at_param}::TIMESTAMPTZ AS _loaded_at,
               _reject_reason,
               CASE WHEN _reject_reason IS NOT NULL THEN _raw END AS _rejected_text
        FROM judged
    """

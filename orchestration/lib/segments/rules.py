"""Segment rules: plain boolean expressions over profile columns, checked before they reach SQL.

A rule is parsed into a syntax tree and every node must be one of a short list of kinds (columns, literals,
comparisons, AND/OR/NOT, IN, BETWEEN, IS NULL, LIKE, arithmetic). Nothing else gets through: no functions,
no subqueries, no second statement. The SQL that runs is generated from the checked tree, never the text
as written, so a rule cannot run arbitrary SQL.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

PREDICATES = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.In, exp.Between, exp.Is, exp.Like, exp.ILike)
CONNECTIVES = (exp.And, exp.Or, exp.Not, exp.Paren)
VALUES = (exp.Column, exp.Identifier, exp.Literal, exp.Boolean, exp.Null, exp.Neg)
ARITHMETIC = (exp.Add, exp.Sub, exp.Mul, exp.Div)
ALLOWED = PREDICATES + CONNECTIVES + VALUES + ARITHMETIC

# dbt adapter type -> the SQL dialect rules are written out in
DIALECTS = {
    "duckdb": "duckdb",
    "postgres": "postgres",
    "redshift": "redshift",
    "snowflake": "snowflake",
    "bigquery": "bigquery",
    "spark": "spark",
    "databricks": "databricks",
    "trino": "trino",
}
NUMERIC_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "DOUBLE", "FLOAT", "REAL", "DECIMAL")
TEXT_TYPES = ("VARCHAR", "TEXT", "STRING")


class RuleError(ValueError):
    """A segment rule that cannot be used; the message names the segment and the problem."""


def dialect_for(adapter_type: str) -> str:
    """The sqlglot dialect of a dbt adapter; rules for an engine Kizuna does not know are refused."""
    try:
        return DIALECTS[adapter_type]
    except KeyError:
        raise RuleError(f"no SQL dialect known for the dbt adapter {adapter_type!r}") from None


def compile_rule(segment: str, rule: str, columns: Mapping[str, str], dialect: str = "duckdb") -> str:
    """The rule as SQL for ``dialect``, or RuleError. ``columns`` maps each usable column to its SQL type."""

    def fail(problem: str) -> RuleError:
        return RuleError(f"segment {segment!r}: rule {rule.strip()!r} {problem}")

    if not rule or not rule.strip():
        raise fail("is empty")
    if any(c == "\\" or (ord(c) < 32 and c not in "\t\n") for c in rule):
        # engines differ on backslash escapes: a rule that needs one could end a string early on another engine
        raise fail("has a backslash or a control character")
    try:
        statements = [s for s in sqlglot.parse(rule, read=dialect) if s is not None]
    except ParseError as error:
        raise fail(f"does not parse: {error.errors[0]['description'] if error.errors else error}") from None
    if len(statements) != 1:
        raise fail("must be one expression, not several statements")
    tree = statements[0]

    for node in tree.walk():
        if not isinstance(node, ALLOWED):
            raise fail(
                f"uses {type(node).__name__.upper()} ({node.sql(dialect=dialect)[:60]}): a rule may only compare "
                "profile columns with values, using AND, OR, NOT, IN, BETWEEN, IS NULL, LIKE and arithmetic"
            )
        if isinstance(node, exp.Column):
            _check_column(node, columns, fail)
    if not _is_boolean(tree, columns):
        raise fail("is not a boolean expression (it should say which profiles belong, e.g. orders_total >= 2)")
    for node in tree.find_all(*PREDICATES[:6]):
        _check_comparison(node, columns, fail)
    return tree.sql(dialect=dialect, identify=True, comments=False)


def _check_column(node: exp.Column, columns: Mapping[str, str], fail) -> None:
    if node.table:
        raise fail(f"names {node.sql()!r}: use profile columns without a table name")
    if node.name not in columns:
        close = difflib.get_close_matches(node.name, list(columns), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise fail(f"names unknown column {node.name!r}{hint}")


def _is_boolean(node: exp.Expression, columns: Mapping[str, str]) -> bool:
    if isinstance(node, (exp.And, exp.Or)):
        return _is_boolean(node.left, columns) and _is_boolean(node.right, columns)
    if isinstance(node, (exp.Not, exp.Paren)):
        return _is_boolean(node.this, columns)
    if isinstance(node, exp.Column):
        return columns[node.name].upper() == "BOOLEAN"
    return isinstance(node, PREDICATES + (exp.Boolean,))


def _check_comparison(node: exp.Expression, columns: Mapping[str, str], fail) -> None:
    """Comparing a number with text (or text with a number) is a mistake worth a clear message."""
    column, literal = node.left, node.right
    if isinstance(column, exp.Literal):
        column, literal = literal, column
    if not isinstance(column, exp.Column) or not isinstance(literal, exp.Literal):
        return
    kind = columns[column.name].upper()
    if kind.startswith(NUMERIC_TYPES) and literal.is_string:
        raise fail(f"compares number column {column.name!r} with text {literal.sql()}")
    if kind.startswith(TEXT_TYPES) and literal.is_number:
        raise fail(f"compares text column {column.name!r} with number {literal.sql()}: quote the value")

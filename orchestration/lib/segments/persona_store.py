"""Persona assignments in the warehouse (schema personas), replaced whole at each fit."""

from __future__ import annotations

import duckdb
import pandas as pd

from ..warehouse import transaction
from .personas import Persona


def write_personas(con: duckdb.DuckDBPyConnection, assignments: pd.DataFrame, personas: list[Persona]) -> None:
    definitions = pd.DataFrame(
        {
            "persona_id": [p.persona_id for p in personas],
            "persona_label": [p.label for p in personas],
            "customers": [p.size for p in personas],
        }
    )
    con.execute("CREATE SCHEMA IF NOT EXISTS personas")
    con.register("assignments_frame", assignments)
    con.register("definitions_frame", definitions)
    try:
        with transaction(con):
            con.execute("""
                CREATE OR REPLACE TABLE personas.customer_personas AS
                SELECT CAST(customer_key AS VARCHAR) AS customer_key, CAST(persona_id AS INTEGER) AS persona_id,
                       CAST(persona_label AS VARCHAR) AS persona_label
                FROM assignments_frame""")
            con.execute("""
                CREATE OR REPLACE TABLE personas.persona_definitions AS
                SELECT CAST(persona_id AS INTEGER) AS persona_id, CAST(persona_label AS VARCHAR) AS persona_label,
                       CAST(customers AS BIGINT) AS customers
                FROM definitions_frame""")
    finally:
        con.unregister("assignments_frame")
        con.unregister("definitions_frame")

"""Segment definitions: YAML files (one per area) read, checked and compiled for dbt to evaluate.

Each file holds a ``segments:`` list; each segment has a name, description, owner, maturity level, a rule
over profile columns, the consent purpose it serves and the destinations it is routed to.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Set
from dataclasses import dataclass
from pathlib import Path

import yaml

from .rules import RuleError, compile_rule

# Personalisation maturity (see the README): one-to-all needs no segment at all.
MATURITY_LEVELS = ("one_to_many", "one_to_group", "one_to_few", "one_to_one")
FIELDS = ("name", "description", "owner", "maturity", "rule", "purpose", "destinations")
NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")


class SegmentDefinitionError(ValueError):
    """One or more segment definitions cannot be used; the message lists each file, segment and problem."""


@dataclass(frozen=True)
class Segment:
    name: str
    description: str
    owner: str
    maturity: str
    rule: str
    rule_sql: str
    purpose: str
    destinations: tuple[str, ...]
    path: str

    @property
    def version(self) -> str:
        """Changes whenever what the segment selects or where it goes changes."""
        canonical = json.dumps([self.rule_sql, self.purpose, sorted(self.destinations)])
        return hashlib.sha256(canonical.encode()).hexdigest()[:12]


def load_segments(
    folder: Path,
    columns: Mapping[str, str],
    purposes: Set[str],
    destinations: Set[str],
    dialect: str = "duckdb",
) -> list[Segment]:
    """Every segment under ``folder``, checked; SegmentDefinitionError lists every problem found."""
    problems: list[str] = []
    segments: list[Segment] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.yml")):
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            problems.append(f"{path.name}: not valid YAML: {error}")
            continue
        entries = document.get("segments") if isinstance(document, dict) else None
        if not isinstance(entries, list):
            problems.append(f"{path.name}: expected a top-level 'segments:' list")
            continue
        for index, entry in enumerate(entries, start=1):
            try:
                segment = _segment(path, index, entry, columns, purposes, destinations, dialect)
            except (SegmentDefinitionError, RuleError) as error:
                problems.append(f"{path.name}: {error}")
                continue
            if segment.name in seen:
                problems.append(f"{path.name}: segment {segment.name!r} is also defined in {seen[segment.name]}")
                continue
            seen[segment.name] = path.name
            segments.append(segment)
    if problems:
        raise SegmentDefinitionError("invalid segment definitions:\n  " + "\n  ".join(problems))
    return segments


def _segment(
    path: Path,
    index: int,
    entry: object,
    columns: Mapping[str, str],
    purposes: Set[str],
    destinations: Set[str],
    dialect: str,
) -> Segment:
    if not isinstance(entry, dict):
        raise SegmentDefinitionError(f"entry {index} is not a mapping")
    name = str(entry.get("name") or f"#{index}")
    label = f"segment {name!r}"
    missing = [field for field in FIELDS if entry.get(field) in (None, "", [])]
    if missing:
        raise SegmentDefinitionError(f"{label} lacks {', '.join(missing)}")
    unknown = sorted(set(entry) - set(FIELDS))
    if unknown:
        raise SegmentDefinitionError(f"{label} has unknown field(s) {', '.join(unknown)}")
    if not NAME.fullmatch(name):
        raise SegmentDefinitionError(f"{label}: names are lower case letters, digits and underscores")
    if entry["maturity"] not in MATURITY_LEVELS:
        raise SegmentDefinitionError(f"{label}: maturity must be one of {', '.join(MATURITY_LEVELS)}")
    if entry["purpose"] not in purposes:
        raise SegmentDefinitionError(
            f"{label}: purpose {entry['purpose']!r} is not a consent purpose ({', '.join(sorted(purposes))})"
        )
    routed = entry["destinations"]
    if not isinstance(routed, list):
        raise SegmentDefinitionError(f"{label}: destinations must be a list")
    strangers = [d for d in routed if d not in destinations]
    if strangers:
        raise SegmentDefinitionError(
            f"{label}: unknown destination(s) {', '.join(map(str, strangers))} "
            f"(known: {', '.join(sorted(destinations))})"
        )
    rule = str(entry["rule"])
    return Segment(
        name=name,
        description=str(entry["description"]).strip(),
        owner=str(entry["owner"]),
        maturity=entry["maturity"],
        rule=" ".join(rule.split()),
        rule_sql=compile_rule(name, rule, columns, dialect),
        purpose=entry["purpose"],
        destinations=tuple(routed),
        path=path.name,
    )

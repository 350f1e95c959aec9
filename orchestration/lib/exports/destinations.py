"""Destinations: the marketing tools segments are exported to, configured as dbt exposures.

Each exposure with ``config.meta.destination`` is one destination; the exposure documents the tool in dbt
and its meta says what a person must have consented to and which fields may leave.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .formats import FORMATS


class DestinationError(ValueError):
    """A destination whose configuration cannot be used."""


@dataclass(frozen=True)
class Destination:
    name: str
    label: str
    format: str
    purpose: str
    channel: str
    fields: tuple[str, ...]
    max_churn_share: float
    churn_min_rows: int

    @property
    def file_format(self):
        return FORMATS[self.format]


def destinations_from_manifest(manifest: Mapping[str, Any]) -> dict[str, Destination]:
    """Every exposure of the dbt manifest that configures a destination, by name."""
    found: dict[str, Destination] = {}
    for exposure in manifest.get("exposures", {}).values():
        meta = (exposure.get("config") or {}).get("meta") or exposure.get("meta") or {}
        config = meta.get("destination")
        if config is None:
            continue
        name = exposure["name"]
        try:
            destination = Destination(
                name=name,
                label=exposure.get("label") or name,
                format=config["format"],
                purpose=config["purpose"],
                channel=config["channel"],
                fields=tuple(config["fields"]),
                max_churn_share=float(config.get("max_churn_share", 0.5)),
                churn_min_rows=int(config.get("churn_min_rows", 20)),
            )
        except KeyError as missing:
            raise DestinationError(f"destination {name!r}: config.meta.destination lacks {missing}") from None
        file_format = FORMATS.get(destination.format)
        if file_format is None:
            raise DestinationError(
                f"destination {name!r}: unknown format {destination.format!r} (known: {', '.join(sorted(FORMATS))})"
            )
        extra = set(destination.fields) - set(file_format.accepts)
        if extra:
            raise DestinationError(
                f"destination {name!r}: format {destination.format} cannot carry {', '.join(sorted(extra))} "
                f"(it carries {', '.join(file_format.accepts)})"
            )
        found[name] = destination
    return found

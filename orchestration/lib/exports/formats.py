"""File formats of the marketing tools, with each vendor's normalisation and hashing rules.

A format turns a person's allowed profile fields into one row of the vendor's upload file. Hashed formats
normalise first, exactly as the vendor documents, then take the SHA-256 hex digest:
- Google Ads Customer Match: e-mail trimmed and lower-cased; phone in E.164 with the leading "+".
- Meta custom audiences: e-mail trimmed and lower-cased; phone as digits only, country code, no "+".
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

Row = tuple[str, ...]


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def google_email(email: str) -> str:
    return email.strip().lower()


def google_phone(e164: str) -> str:
    digits = re.sub(r"\D", "", e164)
    return f"+{digits}" if digits else ""


def meta_email(email: str) -> str:
    return email.strip().lower()


def meta_phone(e164: str) -> str:
    return re.sub(r"\D", "", e164)


def _hashed(normalise: Callable[[str], str]) -> Callable[[str | None], str]:
    def render(value: str | None) -> str:
        normalised = normalise(value) if value else ""
        return sha256_hex(normalised) if normalised else ""

    return render


def _plain(value: str | None) -> str:
    return value or ""


@dataclass(frozen=True)
class FileFormat:
    """How one vendor's upload file looks: its columns, which profile field fills each, and how."""

    name: str
    extension: str
    has_header: bool  # False: no header line (LINE takes one user id per line)
    columns: Mapping[str, tuple[str, Callable[[str | None], str]]]  # profile field -> (vendor column, render)
    identifying: tuple[str, ...]  # the fields the vendor matches people on: a row needs one of them
    # the column that tells a removal apart in a delta; None: removals go to their own file section
    consent_column: tuple[str, str, str] | None = None  # (column, value when added, value when removed)

    @property
    def accepts(self) -> tuple[str, ...]:
        return tuple(self.columns)

    def row(self, fields: tuple[str, ...], values: Mapping[str, str | None]) -> Row:
        """The vendor row for one person: only ``fields`` (the destination's allowed fields) are filled."""
        return tuple(self.columns[field][1](values.get(field)) for field in fields)

    def header_for(self, fields: tuple[str, ...]) -> Row:
        return tuple(self.columns[field][0] for field in fields)

    def is_reachable(self, fields: tuple[str, ...], row: Row) -> bool:
        """A row the vendor can match: at least one identifying value is present."""
        return any(value for field, value in zip(fields, row, strict=True) if field in self.identifying)


FORMATS: dict[str, FileFormat] = {
    "klaviyo_csv": FileFormat(
        name="klaviyo_csv",
        extension="csv",
        has_header=True,
        columns={
            "best_email": ("Email", _plain),
            "first_name": ("First Name", _plain),
            "last_name": ("Last Name", _plain),
        },
        identifying=("best_email",),
        consent_column=("Email Marketing Consent", "Subscribed", "Unsubscribed"),
    ),
    "google_customer_match_csv": FileFormat(
        name="google_customer_match_csv",
        extension="csv",
        has_header=True,
        columns={
            "personal_email": ("Email", _hashed(google_email)),
            "personal_phone": ("Phone", _hashed(google_phone)),
        },
        identifying=("personal_email", "personal_phone"),
    ),
    "meta_audience_csv": FileFormat(
        name="meta_audience_csv",
        extension="csv",
        has_header=True,
        columns={
            "personal_email": ("email", _hashed(meta_email)),
            "personal_phone": ("phone", _hashed(meta_phone)),
        },
        identifying=("personal_email", "personal_phone"),
    ),
    "line_audience_txt": FileFormat(
        name="line_audience_txt",
        extension="txt",
        has_header=False,
        columns={"line_user_id": ("line_user_id", _plain)},
        identifying=("line_user_id",),
    ),
}

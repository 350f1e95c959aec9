"""Recognising an erased person's identifiers in any record, in any of the forms people type them.

One matcher serves erasure (which lines of a landing or export file are about the subject) and ingestion
(which arriving records are about someone erased before). It works on the values of a record, not on its
layout: every JSON leaf or CSV cell is reduced to its normal forms (the same rules as the dbt identifier
macros: full-width folded, trimmed, lower-cased; phones in E.164; digit codes as digits), and e-mail
addresses inside free text are found too. The suppression list holds only salted SHA-256 digests of
those forms, so it names nobody.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

# NFKC for the characters people type in identifiers: the full-width ASCII block and the ideographic space
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_EMAIL_IN_TEXT = re.compile(r"[^@\s\"'<>,;:()\[\]{}=&?/]+@[^@\s\"'<>,;:()\[\]{}=&?/]+\.[a-z0-9-]+")
_PHONE_PLAUSIBLE = re.compile(r"\+[1-9][0-9]{7,14}")
_TOKEN = re.compile(r"[^\s\"'<>,;:()\[\]{}=&?|]+")
DEFAULT_COUNTRY_CODE = "81"  # dbt var default_phone_country_code
MIN_FORM_LENGTH = 6  # shorter values (quantities, flags, words) are nobody's identifier


def fold(value: str) -> str:
    return value.translate(_FULL_WIDTH)


def normal_email(value: str) -> str | None:
    cleaned = fold(value).strip().lower()
    return cleaned if _EMAIL.fullmatch(cleaned) else None


def normal_phone(value: str, country_code: str = DEFAULT_COUNTRY_CODE) -> str | None:
    """E.164, by the rules of the dbt macro ``normalize_phone``."""
    digits = re.sub(r"[^0-9+]", "", fold(value))
    if digits.startswith("+"):
        candidate = "+" + digits[1:].replace("+", "")
    elif digits.startswith("00"):
        candidate = "+" + digits[2:]
    elif digits.startswith("0"):
        candidate = f"+{country_code}{digits[1:]}"
    elif digits.startswith(country_code) and 11 <= len(digits) <= 12:
        candidate = "+" + digits
    elif 9 <= len(digits) <= 10:
        candidate = f"+{country_code}{digits}"
    else:
        return None
    return candidate if _PHONE_PLAUSIBLE.fullmatch(candidate) else None


def normal_forms(value: str) -> set[str]:
    """Every form under which ``value`` could be stored as an identifier (the dbt normalisations, lower-cased)."""
    folded = fold(value).strip()
    forms = set()
    lowered = folded.lower()
    if len(lowered) >= MIN_FORM_LENGTH:
        forms.add(lowered)
    if "@" in lowered:
        forms.update(match.lower() for match in _EMAIL_IN_TEXT.findall(lowered))
    elif not re.search(r"[a-z]", lowered):
        digits = re.sub(r"[^0-9]", "", lowered)
        if len(digits) >= MIN_FORM_LENGTH:
            forms.add(digits)  # card numbers typed with spaces or hyphens
            phone = normal_phone(folded)
            if phone:
                forms.add(phone)
    return forms


def search_forms(identifier: str) -> set[str]:
    """The byte strings a leftover copy of a normalised identifier would show: as stored and as people type it."""
    forms = {identifier, identifier.lower()}
    if _PHONE_PLAUSIBLE.fullmatch(identifier):
        international = identifier[1:]
        forms |= {international}
        if international.startswith(DEFAULT_COUNTRY_CODE):
            national = "0" + international[len(DEFAULT_COUNTRY_CODE) :]
            forms |= {national, f"{national[:3]}-{national[3:7]}-{national[7:]}"}
    return {form for form in forms if len(form) >= MIN_FORM_LENGTH}


def leaf_values(text: str, file_format: str) -> list[str]:
    """The values of one record: JSON leaves, CSV cells, or (for a line neither parses) its tokens."""
    if file_format == "jsonl":
        try:
            return list(_leaves(json.loads(text)))
        except ValueError:
            pass
    elif file_format == "csv":
        try:
            return [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        except csv.Error:
            pass
    return _TOKEN.findall(text)


def _leaves(node) -> Iterator[str]:
    if isinstance(node, dict):
        for value in node.values():
            yield from _leaves(value)
    elif isinstance(node, list):
        for value in node:
            yield from _leaves(value)
    elif isinstance(node, str):
        yield node
    elif isinstance(node, int) and not isinstance(node, bool):
        yield str(node)  # numeric ids in JSON (a Shopify customer id in a form's hidden fields)


@dataclass
class Suppression:
    """Salted digests of identifiers never to be stored again, and the test of a record against them."""

    salt: bytes
    digests: set[str] = field(default_factory=set)
    _seen: dict[str, bool] = field(default_factory=dict, repr=False)

    def digest(self, form: str) -> str:
        return hashlib.sha256(self.salt + form.encode("utf-8")).hexdigest()

    def add(self, identifiers: Iterable[str]) -> set[str]:
        """Suppress these identifiers (already normalised, as in customer_identities); their new digests."""
        new = {self.digest(form) for identifier in identifiers for form in normal_forms(identifier)} - self.digests
        self.digests |= new
        self._seen.clear()
        return new

    def __bool__(self) -> bool:
        return bool(self.digests)

    def value_matches(self, value: str) -> bool:
        known = self._seen.get(value)
        if known is None:
            known = any(self.digest(form) in self.digests for form in normal_forms(value))
            if len(self._seen) > 1_000_000:
                self._seen.clear()
            self._seen[value] = known
        return known

    def record_matches(self, text: str, file_format: str) -> bool:
        return any(self.value_matches(value) for value in leaf_values(text, file_format))

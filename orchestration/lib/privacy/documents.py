"""One JSON document per data-subject request (an access bundle, an erasure receipt), named by its id."""

from __future__ import annotations

from pathlib import Path


def request_document(folder: Path, request_id: str) -> Path:
    """The request's document in ``folder``: its id, with anything but letters, digits, - and _ as _."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in request_id)
    return folder / f"{safe}.json"

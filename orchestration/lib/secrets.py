"""Per-installation secrets under ``$KIZUNA_HOME/secrets``: random bytes, created on first use, owner-only."""

from __future__ import annotations

import secrets
from pathlib import Path


def load_secret(path: Path) -> bytes:
    """The secret stored at ``path`` (hex), created with 32 random bytes if there is none yet."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return bytes.fromhex(path.read_text().strip())

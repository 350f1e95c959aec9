"""Stable customer keys across runs, merges and splits.

A cluster keeps the key its identifiers had before. When a key's identifiers
now sit in several clusters (a split), the cluster holding most of them keeps
it (ties: the one with the earliest identifier); the others get new keys. When
a cluster holds several old keys (a merge), the oldest key survives and the
others are retired into it. Every merge and split is logged.

New keys are derived from the cluster's earliest identifier with a keyed hash
(HMAC-SHA-256 under a secret kept in KIZUNA_HOME), so a rebuild from scratch
gives the same keys while a key reveals nothing about the identifier.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class KeyChange:
    old_key: str
    new_key: str
    reason: str  # merge | split
    identifiers_moved: int


@dataclass
class KeyAssignment:
    key_of_cluster: dict[int, str] = field(default_factory=dict)
    new_keys: list[tuple[str, int]] = field(default_factory=list)  # (key, cluster)
    changes: list[KeyChange] = field(default_factory=list)
    retired: dict[str, str] = field(default_factory=dict)  # old key -> key it was merged into


def derive_key(secret: bytes, anchor: str, attempt: int = 0) -> str:
    message = anchor if attempt == 0 else f"{anchor}#{attempt}"
    return "ck_" + hmac.new(secret, message.encode(), hashlib.sha256).hexdigest()[:20]


def assign_keys(
    clusters: dict[int, list[tuple[str, datetime]]],
    previous_key_of: dict[str, str],
    key_created_at: dict[str, datetime],
    secret: bytes,
) -> KeyAssignment:
    """Give every cluster a customer key.

    clusters: cluster id -> its identifiers as ("type:value", first seen);
    previous_key_of: "type:value" -> the key that identifier had last run;
    key_created_at: every key ever issued -> when (to find the oldest, and avoid reuse).
    """
    earliest = {cid: min((seen, ident) for ident, seen in idents) for cid, idents in clusters.items()}
    # how many of each old key's identifiers each cluster now holds
    holders: dict[str, Counter] = defaultdict(Counter)
    for cid, idents in clusters.items():
        for ident, _ in idents:
            key = previous_key_of.get(ident)
            if key is not None:
                holders[key][cid] += 1
    owner = {key: min(counts, key=lambda cid: (-counts[cid], earliest[cid], cid)) for key, counts in holders.items()}
    won: dict[int, list[str]] = defaultdict(list)
    for key, cid in owner.items():
        won[cid].append(key)

    result = KeyAssignment()
    issued = set(key_created_at)
    for cid in sorted(clusters, key=lambda c: earliest[c]):
        keys = sorted(won.get(cid, []), key=lambda k: (key_created_at[k], k))
        if keys:
            survivor = keys[0]
            for other in keys[1:]:
                result.retired[other] = survivor
                result.changes.append(KeyChange(other, survivor, "merge", holders[other][cid]))
        else:
            anchor = earliest[cid][1]
            attempt = 0
            survivor = derive_key(secret, anchor)
            while survivor in issued:
                attempt += 1
                survivor = derive_key(secret, anchor, attempt)
            issued.add(survivor)
            result.new_keys.append((survivor, cid))
            lost = Counter({key: n for key, counts in holders.items() for c, n in counts.items() if c == cid})
            for key, moved in sorted(lost.items()):
                result.changes.append(KeyChange(key, survivor, "split", moved))
        result.key_of_cluster[cid] = survivor
    return result

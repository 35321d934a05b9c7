"""Cluster ids: the one place that names a group of related records.

Records that a corpus-level detector puts in one group (a duplicate cluster, the
records sharing a label conflict or a planted trigger) carry the group's id in
`cluster_id`. An id is a prefix naming the kind of group and a hash of what defines
the group, so it is stable across runs and never shows the text itself.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable

EXACT_DUPLICATE = "x"  # + the normalized content hash
NEAR_DUPLICATE = "n"  # + a hash of the representative's (source, record_index)
LABEL_CONFLICT_EXACT = "lx"  # + the exact group's content hash
LABEL_CONFLICT_NEAR = "ln"  # + the near-duplicate cluster's id
POISON_TRIGGER = "t"  # + CRC-32 of the trigger token
POISON_BURST = "b"  # + CRC-32 of the n-gram key
POISON_OUTLIER = "o"  # + CRC-32 of the outlier group and its smallest doc_id
HASH_CHARS = 16  # hex characters kept from a SHA-256


def exact_duplicate(content_key: str) -> str:
    """Records whose normalized text is the same (`content_key` is its SHA-256)."""
    return EXACT_DUPLICATE + content_key[:HASH_CHARS]


def near_duplicate(representative_key: tuple[str, int]) -> str:
    """The near-duplicate cluster whose representative is this (source, index)."""
    blob = f"{representative_key[0]}\0{representative_key[1]}".encode()
    return NEAR_DUPLICATE + hashlib.sha256(blob).hexdigest()[:HASH_CHARS]


def label_conflict(kind: str, group_key: str) -> str:
    """A duplicate group whose members carry different labels; `kind` is "exact"
    (group_key: content hash) or "near" (group_key: the near cluster's id)."""
    prefix = LABEL_CONFLICT_EXACT if kind == "exact" else LABEL_CONFLICT_NEAR
    return prefix + group_key[:HASH_CHARS]


def poison_trigger(token: str) -> str:
    """The records that carry one candidate trigger token."""
    return POISON_TRIGGER + _crc32_hex(token)


def poison_burst(ngram_key: str) -> str:
    """The records that carry one n-gram followed by unseen text."""
    return POISON_BURST + _crc32_hex(ngram_key)


def poison_outlier(group: str, member_doc_ids: Iterable[str]) -> str:
    """Unusual records of one group (label or source) that resemble each other."""
    digest = zlib.crc32(f"{group}\0{min(member_doc_ids)}".encode()) & 0xFFFFFFFF
    return f"{POISON_OUTLIER}{digest:08x}"


def _crc32_hex(value: str) -> str:
    return format(zlib.crc32(value.encode("utf-8", "surrogatepass")), "08x")

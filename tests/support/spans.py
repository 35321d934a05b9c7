"""Span helpers for table-driven detector tests."""

from __future__ import annotations


def at(text: str, span: str) -> tuple[int, int]:
    """The offsets of the first occurrence of `span` in `text`."""
    s = text.index(span)
    return s, s + len(span)

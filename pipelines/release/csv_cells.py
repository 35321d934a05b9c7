"""CSV cells that a spreadsheet will not run as formulas (OWASP, "CSV Injection").

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a
formula by Excel, LibreOffice and Google Sheets (`=HYPERLINK(...)` in a record's text
would become a live link in a reviewer's sheet). Such a cell is written with a leading
single quote, which spreadsheets show as text. A cell that itself starts with a quote
gets one more, so reading back (`unescape_cell`) is exact.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def escape_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, QUOTE)):
        return QUOTE + value
    return value


def unescape_cell(value: str) -> str:
    return value[1:] if value.startswith(QUOTE) else value

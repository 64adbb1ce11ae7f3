"""Labels every renderer shares: one wording for a holder in tables, charts, reports and CSV.
A leaf module (model names only), so renderers use it without importing each other."""

from __future__ import annotations

from ..model import CARVE_OUT, COMMON, Charter


def holder_label(model: Charter, h: str) -> str:
    """"Series A", "Common", "Carve-out", "Option pool P" (not escaped: each renderer escapes)."""
    if h == COMMON:
        return "Common"
    if h == CARVE_OUT:
        return "Carve-out"
    if any(s.id == h for s in model.series):
        return f"Series {h}"
    return f"Option pool {h}"

"""Test-wide setup.

The project's own models (charters/*.toml) name their charter texts in ../shared/seeds/, beside
the checkout and so outside the default text root (the checkout itself; see docs/ci.md). The
suite allows that one directory the way a CI job would: through CHARTERVERIFY_TEXT_ROOT. Tests of
the confinement itself remove it (monkeypatch.delenv).
"""

import os
from pathlib import Path

os.environ.setdefault("CHARTERVERIFY_TEXT_ROOT", str(Path(__file__).resolve().parents[1].parent / "shared"))

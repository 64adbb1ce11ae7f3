"""Shared helpers for the text-check tests."""

from __future__ import annotations

from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds"

SEED_FILES = {
    "kinzan": "000_bcff0a96b1b81ffe.txt",
    "juniper": "001_8b89544a9c84fcfb.txt",
    "quintus": "002_5aeb33a19f16eb7e.txt",
    "valuestar": "003_f0dd647d6efd7235.txt",
    "netgear": "004_171d7caaec647359.txt",
}


@pytest.fixture
def seed():
    """seed("quintus") -> Path of that seed charter; skips when the seeds folder is missing."""

    def _get(name: str) -> Path:
        p = SEEDS / SEED_FILES[name]
        if not p.is_file():
            pytest.skip(f"seed charters not found at {SEEDS.resolve()} (expected ../shared/seeds next to the repo)")
        return p

    return _get

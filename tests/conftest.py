"""Suite-wide setup: the tests that read ../shared fail with one clear message when it is missing.

The seed charter texts and the EDGAR corpus live in ../shared, beside the checkout (the seed
models in charters/*.toml name their texts as ../../shared/seeds/...). Without it those tests
would skip or fail with a FileNotFoundError or an exit status 2 deep in a CLI run; here they
fail at setup, each with the same one-line message, and the session header says it once.
Nothing is skipped: CI must show 0 skipped.

A test needs ../shared when it is marked `@pytest.mark.shared`, uses the `seed` fixture of
tests/text/conftest.py, or is listed in NEEDS_SHARED (tests that run the CLI or the text
checks on a seed model without saying so in a marker).

The project's own models name their charter texts in ../shared/seeds/, outside the default text
root (the checkout itself; see docs/ci.md). The suite allows that one directory the way a CI job
would: through CHARTERVERIFY_TEXT_ROOT. Tests of the confinement itself remove it
(monkeypatch.delenv).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
os.environ.setdefault("CHARTERVERIFY_TEXT_ROOT", str(SHARED))

MISSING = (f"../shared is not beside the checkout (no {SHARED / 'seeds'} or {SHARED / 'corpus'}): "
           f"put the shared data (seeds/, corpus/, DOMAIN.md) next to the repository as {SHARED} "
           f"(clone or copy it there) and run the tests again")

# node ids (or file paths) of tests that read ../shared without a marker
NEEDS_SHARED = (
    "tests/test_antidilution.py::test_new_numbers_trace_to_the_text",
    "tests/test_cli.py::test_fail_on_levels",
    "tests/test_cli.py::test_several_charters_combined_status",
    "tests/test_cli.py::test_machine_formats",
    "tests/test_cli.py::test_outline_and_text_only",
    "tests/test_cli.py::test_tiny_rlimit_is_unknown_never_a_pass",
    "tests/test_split_cli.py",
)


def shared_missing() -> bool:
    return not ((SHARED / "seeds").is_dir() and (SHARED / "corpus").is_dir())


def needs_shared(item: pytest.Item) -> bool:
    if item.get_closest_marker("shared") is not None or "seed" in getattr(item, "fixturenames", ()):
        return True
    node = item.nodeid.split("[")[0]
    return any(node == n or node.startswith(n + "::") for n in NEEDS_SHARED)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "shared: reads ../shared (seed texts, corpus); fails with one clear message when it is missing")


def pytest_report_header(config: pytest.Config) -> str | None:
    return MISSING if shared_missing() else None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if needs_shared(item) and shared_missing():
        pytest.fail(MISSING, pytrace=False)

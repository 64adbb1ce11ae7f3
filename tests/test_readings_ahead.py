"""The readings' effects computed ahead in a forked child (`readings.compute_ahead`, issue 16:
Quintus' full verify) are the serial computation's, and anything that goes wrong in the child
leaves the parent to compute them itself.

The serial reference is computed on a model loaded separately (the effects are remembered by the
model's identity), with nothing forked.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from charterverify import readings
from charterverify.model import load_model

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the child is forked")


@pytest.fixture
def spy(monkeypatch):
    """The readings computed in this process (`_effect` calls), by name."""
    calls: list[str] = []
    parent = os.getpid()
    real = readings._effect

    def recorded(model, name, tables):
        if os.getpid() == parent:
            calls.append(name)
        return real(model, name, tables)

    monkeypatch.setattr(readings, "_effect", recorded)
    monkeypatch.setenv(readings.AHEAD_ENV, "1")  # whatever the machine's load
    return calls


def serial(path: str) -> list[readings.Effect]:
    return readings.effects(load_model(ROOT / path))


def test_quintus_effects_from_the_child_equal_the_serial_ones(spy):
    model = load_model(ROOT / "charters/quintus.toml")
    if readings._ahead_names(model) == []:
        pytest.skip("one core: nothing is computed ahead")
    assert readings._ahead_names(model) == ["cap_dropout", "cash_on_conversion", "votes_in_sale",
                                            "undeclared_dividends"]
    assert readings.compute_ahead(model) is True
    assert readings.compute_ahead(model) is False  # one child per model
    got = readings.effects(model)
    assert spy == []  # every effect came from the child
    assert not any(a[0] is model for a in readings._ahead)  # collected (and the child reaped)
    want = serial("charters/quintus.toml")
    assert spy == ["cap_dropout", "cash_on_conversion", "votes_in_sale"]  # the reference, here
    assert got == want
    assert [e.at for e in got if e.computed][:3] == [e.at for e in want if e.computed][:3]


def test_a_failing_child_leaves_the_serial_computation(spy, monkeypatch):
    """The child raises in every reading: it exits 1, sends nothing, and the parent computes each
    effect itself, the same as without the child."""
    parent = os.getpid()
    real = readings._specific_effect

    def broken(model, name, tables):
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return real(model, name, tables)

    monkeypatch.setattr(readings, "_specific_effect", broken)
    monkeypatch.setattr(readings, "AHEAD_MIN_PROFILES", 1)
    model = load_model(ROOT / "tests/charters/good/capped.toml")
    if readings._ahead_names(model) == []:
        pytest.skip("one core: nothing is computed ahead")
    assert readings.compute_ahead(model) is True
    got = readings.effects(model)
    assert spy == ["cap_dropout"]  # computed here after all
    assert got == serial("tests/charters/good/capped.toml")
    assert got[0].computed and got[0].at is None  # one capped series: both readings pay alike


def test_nothing_is_forked_when_asked_serial_busy_or_for_small_charters(monkeypatch):
    quintus = load_model(ROOT / "charters/quintus.toml")
    monkeypatch.setenv(readings.AHEAD_ENV, "0")
    assert readings._ahead_names(quintus) == []
    assert readings.compute_ahead(quintus) is False
    monkeypatch.delenv(readings.AHEAD_ENV)
    monkeypatch.setattr(os, "getloadavg", lambda: (64.0, 64.0, 64.0))  # no core free
    assert readings._ahead_names(quintus) == []
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    if len(os.sched_getaffinity(0)) >= 2:
        assert readings._ahead_names(quintus) != []
    monkeypatch.setenv(readings.AHEAD_ENV, "1")
    assert readings._ahead_names(load_model(ROOT / "tests/charters/good/capped.toml")) == []  # 2 profiles

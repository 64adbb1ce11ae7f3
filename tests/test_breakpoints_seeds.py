"""Breakpoints of the seed charters, worked out by hand from the charter texts."""

from fractions import Fraction as F
from pathlib import Path

import pytest

from charterverify.model import load_model
from charterverify.solver.breakpoints import analyze

CHARTERS = Path(__file__).resolve().parents[1] / "charters"


@pytest.fixture(scope="module")
def valuestar():
    return analyze(load_model(CHARTERS / "valuestar.toml"))


@pytest.fixture(scope="module")
def kinzan():
    return analyze(load_model(CHARTERS / "kinzan.toml"))


@pytest.fixture(scope="module")
def netgear():
    return analyze(load_model(CHARTERS / "netgear.toml"))


def test_valuestar_breakpoints(valuestar):
    # DOMAIN.md worked example (Series A assumed: 1,000,000 x $5.00 senior; Series B 800,000 x $17.50,
    # converts 1:10, participates to $30.00; common 8,000,000):
    #   Series A filled at 1,000,000 x $5.00 = $5,000,000
    #   Series B filled at 5,000,000 + 800,000 x $17.50 = $19,000,000
    #   B's cap: B gets half of the residual (8,000,000 as-converted vs 8,000,000 common) until it has
    #   $30.00 x 800,000 = $24,000,000, i.e. $10,000,000 of participation: 19,000,000 + 2 x 10,000,000 = $39,000,000
    #   B converts when (E - 5,000,000) / 2 > 24,000,000: E > $53,000,000
    assert [b.x for b in valuestar.breakpoints] == [5_000_000, 19_000_000, 39_000_000, 53_000_000]
    assert valuestar.complete
    causes = [b.causes for b in valuestar.breakpoints]
    assert causes[0] == ["Series A preference filled (B.1)"]
    assert "Series B reaches its cap of $30 per share (B.1)" in causes[2]
    assert any(c.startswith("Series B converts") for c in causes[3])
    # no holder's payout jumps anywhere
    assert all(not b.jumps for b in valuestar.breakpoints)


def test_valuestar_pieces(valuestar):
    p = valuestar.pieces
    # between 19M and 39M, B and common split each marginal dollar 50/50
    assert p[2].lo == 19_000_000 and p[2].hi == 39_000_000
    assert p[2].forms["B"] == (F(4_500_000), F(1, 2))  # 14,000,000 + (E - 19,000,000)/2
    assert p[2].forms["common"] == (F(-9_500_000), F(1, 2))
    # flat zone: B stays at $24,000,000, common takes every marginal dollar
    assert p[3].forms["B"] == (F(24_000_000), F(0)) and p[3].forms["common"][1] == 1
    # beyond 53M: B converted, (E - 5,000,000)/2 each
    assert p[4].hi is None and p[4].forms["B"] == (F(-2_500_000), F(1, 2))
    assert all(piece.proved for piece in p)


def test_kinzan_breakpoints(kinzan):
    # FOURTH.B.2(a): one tier, A 5,847,895 x $0.90 = $5,263,105.50; B 5,000,000 x $4.00 = $20,000,000;
    # C 2,500,000 x $12.30 = $30,750,000; stack = $56,013,105.50. Conversion 1:1 (FOURTH.B.4(a)).
    # A converts when (E - 20,000,000 - 30,750,000) / (10,000,000 + 5,847,895) > 0.90:
    #   E > 50,750,000 + 0.9 x 15,847,895 = $65,013,105.50
    # B converts (A converted) when (E - 30,750,000) / 20,847,895 > 4.00: E > 30,750,000 + 83,391,580 = $114,141,580
    # C converts (A, B converted) when E / 23,347,895 > 12.30: E > $287,179,108.50
    assert [b.x for b in kinzan.breakpoints] == [
        F("56013105.5"), F("65013105.5"), F(114_141_580), F("287179108.5"),
    ]
    assert kinzan.complete
    assert kinzan.breakpoints[0].causes == ["Series A, B and C preference filled (FOURTH.B.2(a))"]
    assert [u.id for u, a in zip(kinzan.units, kinzan.pieces[-1].profile) if a] == ["A", "B", "C"]


def test_kinzan_indifferent_at_crossovers(kinzan):
    # a converting unit is indifferent at its switch: its own payout is continuous there
    for b in kinzan.breakpoints[1:]:
        assert not b.jumps


def test_netgear_breakpoints(netgear):
    # V.3(a): A 26,250,000 x $4.5143 = $118,500,375; B 3,320,538 x $4.5143 = $14,989,904.6934;
    # C 10,937,500 x $1.7909 = $19,588,468.75; stack = $153,078,248.4434. Full participation
    # (V.3(b)) means no series ever gains by converting: the stack is the only breakpoint.
    assert [b.x for b in netgear.breakpoints] == [F("153078248.4434")]
    last = netgear.pieces[-1]
    # above the stack, everyone shares as converted: 30,000,000 + 26,250,000 + 3,320,538 + 10,937,500
    # = 70,508,038 shares; Series A takes 26,250,000 / 70,508,038 of each marginal dollar
    assert last.forms["A"][1] == F(26_250_000, 70_508_038)
    assert last.forms["common"][1] == F(30_000_000, 70_508_038)
    assert not any(last.profile)

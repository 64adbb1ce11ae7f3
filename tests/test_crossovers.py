"""Crossovers, caps and flat zones (charterverify.solver.crossovers), hand-worked.

Valuestar (DOMAIN.md worked example; cap table assumed: A 1,000,000 external
senior $5.00 non-participating, not converting; B 800,000, LP $17.50, converts
1:10 ($17.50 / $1.75), participates until $30.00 per share; common 8,000,000):
  cap binds where B has 800,000 x $30.00 = $24,000,000: after A (5,000,000) and
  B's preference (14,000,000), B takes half of the rest (8,000,000 as-converted
  of 16,000,000 shares), so 24,000,000 - 14,000,000 = 10,000,000 more needs
  20,000,000 of residual: E = 19,000,000 + 20,000,000 = $39,000,000;
  B converts when (E - 5,000,000) x 8/16 > 24,000,000, i.e. E > $53,000,000;
  flat zone 39M - 53M: B stays at $24,000,000, common takes 100% of each dollar;
  per share at 53M: 24,000,000 / 800,000 = $30.00 on both sides.

Kinzan (charter text /work/shared/seeds/000_bcff0a96b1b81ffe.txt, FOURTH.B.2(a):
A $0.90, B $4.00, C $12.30 per share "prior and in preference to" common, the
remaining assets to common only; FOURTH.B.4(a): initial Conversion Price =
Original Issue Price, so each share converts 1:1; FOURTH.B: 5,847,895 A,
5,000,000 B, 2,500,000 C designated; cap table assumption: all outstanding,
common 10,000,000). Preferences: A 5,847,895 x 0.90 = 5,263,105.50,
B 5,000,000 x 4.00 = 20,000,000, C 2,500,000 x 12.30 = 30,750,000.
A non-participating series converts once its share of the common pool, with
itself converted, exceeds its preference per share:
  A (B, C keep their preferences, 50,750,000 ahead of common):
      (E - 50,750,000) / (10,000,000 + 5,847,895) > 0.90
      E > 50,750,000 + 0.90 x 15,847,895 = 50,750,000 + 14,263,105.50 = $65,013,105.50
  B (A already converted; only C's 30,750,000 ahead):
      (E - 30,750,000) / (15,847,895 + 5,000,000) > 4.00
      E > 30,750,000 + 4 x 20,847,895 = 30,750,000 + 83,391,580 = $114,141,580
  C (A and B converted; nothing ahead):
      E / (20,847,895 + 2,500,000) > 12.30
      E > 12.30 x 23,347,895 = $287,179,108.50
The order A, B, C is consistent: alone (the others keeping), B would convert only
above 36,013,105.50 + 4 x 15,000,000 = 96,013,105.50 and C only above
25,263,105.50 + 12.30 x 12,500,000 = 179,013,105.50, both beyond A's 65,013,105.50;
after A, C alone would need 20,000,000 + 12.30 x 18,347,895 = 245,679,108.50 > 114,141,580.
"""

from __future__ import annotations

import textwrap
from fractions import Fraction
from pathlib import Path

import pytest

from charterverify.model import load_model
from charterverify.solver.breakpoints import Analysis, Piece, analyze
from charterverify.solver.crossovers import caps, caps_json, crossovers, crossovers_json

F = Fraction
CHARTERS = Path(__file__).resolve().parents[1] / "charters"


@pytest.fixture(scope="module")
def valuestar() -> Analysis:
    return analyze(load_model(CHARTERS / "valuestar.toml"))


@pytest.fixture(scope="module")
def kinzan() -> Analysis:
    return analyze(load_model(CHARTERS / "kinzan.toml"))


def _by_unit(an: Analysis):
    return {c.unit.id: c for c in crossovers(an)}


# ---------------------------------------------------------------- Valuestar


def test_valuestar_cap_binds_converts_and_flat_zone(valuestar):
    (cap,) = caps(valuestar)
    assert cap.series == "B"
    assert cap.cap_per_share == F(30)
    assert cap.cap_total == F(24_000_000)  # 800,000 x $30.00
    assert cap.binds_at == F(39_000_000)
    assert cap.converts_at == F(53_000_000)
    assert cap.crossover == F(53_000_000)
    (zone,) = cap.zones
    assert (zone.lo, zone.hi, zone.ends) == (F(39_000_000), F(53_000_000), "converts")
    # common takes 100% of every marginal dollar in the flat zone
    assert [(m.lo, m.hi, m.shares) for m in zone.marginal] == [(F(39_000_000), F(53_000_000), {"common": F(1)})]


def test_valuestar_crossover_per_share(valuestar):
    c = _by_unit(valuestar)["B"]
    assert c.x == F(53_000_000)
    assert len(c.switches) == 1
    sw = c.final
    assert sw is not None and sw.acting
    # below: B at its cap, 24,000,000 / 800,000; above: (53M - 5M) / 2 / 800,000
    assert sw.per_share.below == F(30) == sw.per_share.above == sw.per_share.at


def test_valuestar_json(valuestar):
    assert crossovers_json(valuestar) == [{
        "unit": "B", "kind": "series", "series": ["B"], "controller": "B", "source": "D.1",
        "per_share_of": "B", "crossover": "53000000", "per_share_below": "30", "per_share_above": "30",
        "switches": [{"exit_value": "53000000", "action": "converts",
                      "per_share": {"below": "30", "at": "30", "above": "30"}}],
    }]
    assert caps_json(valuestar) == [{
        "series": "B", "cap_per_share": "30", "cap_total": "24000000", "binds_at": "39000000",
        "converts_at": "53000000", "crossover": "53000000",
        "flat_zones": [{"from": "39000000", "to": "53000000", "ends": "converts",
                        "marginal_dollar": [{"from": "39000000", "to": "53000000", "shares": {"common": "1"}}]}],
    }]


# ---------------------------------------------------------------- Kinzan


@pytest.mark.parametrize("sid, crossover, per_share", [
    ("A", F("65013105.50"), F("0.90")),  # 50,750,000 + 0.90 x 15,847,895
    ("B", F(114_141_580), F(4)),  # 30,750,000 + 4 x 20,847,895
    ("C", F("287179108.50"), F("12.30")),  # 12.30 x 23,347,895
])
def test_kinzan_crossovers(kinzan, sid, crossover, per_share):
    c = _by_unit(kinzan)[sid]
    assert c.x == crossover
    assert [(s.x, s.acting) for s in c.switches] == [(crossover, True)]
    # at its crossover a non-participating series gets its preference on both sides
    assert c.final.per_share.below == per_share == c.final.per_share.above


def test_kinzan_json_strings(kinzan):
    got = {d["unit"]: (d["crossover"], d["per_share_below"], d["per_share_above"]) for d in crossovers_json(kinzan)}
    assert got == {"A": ("65013105.5", "0.9", "0.9"), "B": ("114141580", "4", "4"),
                   "C": ("287179108.5", "12.3", "12.3")}
    assert caps_json(kinzan) == []


@pytest.mark.parametrize("charter", ["kinzan", "juniper"])
def test_non_participating_series_indifferent_at_crossover(charter):
    """A non-participating series switches where converting and keeping pay the same:
    its value per share has equal left and right limits (and equals the point value)."""
    an = analyze(load_model(CHARTERS / f"{charter}.toml"))
    seen = 0
    for c in crossovers(an):
        s = an.model.get_series(c.unit.id)
        assert not s.participates
        assert c.x is not None and c.x > 0
        for sw in c.switches:
            assert sw.per_share.below == sw.per_share.above == sw.per_share.at
            seen += 1
    assert seen == len(an.units)


def test_netgear_fully_participating_never_converts():
    an = analyze(load_model(CHARTERS / "netgear.toml"))
    for c in crossovers(an):
        assert c.x is None and c.switches == ()
    assert caps(an) == []
    assert all(d["crossover"] is None and d["switches"] == [] for d in crossovers_json(an))


# ---------------------------------------------------------------- tiny charters


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / f"{name}.toml"
    p.write_text(textwrap.dedent(text))
    return p


VOTE = """\
    format = 1
    [charter]
    id = "tiny-vote"
    name = "Tiny Vote, Inc."
    [[series]]
    id = "A"
    name = "Series A"
    designated = 600000
    original_issue_price = "1.00"
    source = "1"
    [series.preference]
    per_share = "1.00"
    source = "2(a)"
    [series.conversion]
    price = "1.00"
    source = "4(a)"
    [[series]]
    id = "B"
    name = "Series B"
    designated = 400000
    original_issue_price = "3.00"
    source = "1"
    [series.preference]
    per_share = "3.00"
    source = "2(a)"
    [series.conversion]
    price = "3.00"
    source = "4(a)"
    [[tiers]]
    id = "pref"
    series = ["A", "B"]
    shortfall = "preference"
    source = "2(a)"
    [[class_votes]]
    id = "AB"
    series = ["A", "B"]
    threshold = "1/2"
    strict = true
    source = "4(a)"
    [captable]
    common_outstanding = 1000000
    [[captable.options]]
    id = "pool"
    count = 1000000
    exercise_price = "5.00"
"""


def test_class_vote_and_option_pool(tmp_path):
    """A (600,000 of 1,000,000 shares) carries the AB vote. Stack: A 600,000 x $1 + B
    400,000 x $3 = 1,800,000. Converted, all 2,000,000 shares (A, B and common, 1:1)
    share E, so A prefers converting when E / 2,000,000 > $1: E > 2,000,000. There B,
    outvoted, falls from $3 to $1 per share. The pool (1,000,000 options at $5) then
    exercises when (E + 5,000,000) / 3,000,000 > $5: E > 10,000,000, each option worth
    $0 on both sides."""
    an = analyze(load_model(_write(tmp_path, "vote", VOTE)))
    cs = _by_unit(an)
    vote = cs["AB"]
    assert vote.per_share_of == "A"
    assert vote.x == F(2_000_000)
    (sw,) = vote.switches
    assert sw.per_share.below == F(1) == sw.per_share.above
    assert sw.members["A"].below == F(1) == sw.members["A"].above
    assert (sw.members["B"].below, sw.members["B"].above) == (F(3), F(1))
    pool = cs["pool"]
    assert pool.per_share_of == "pool"
    assert pool.x == F(10_000_000)
    assert (pool.final.per_share.below, pool.final.per_share.above) == (F(0), F(0))
    js = {d["unit"]: d for d in crossovers_json(an)}
    assert js["AB"]["switches"][0]["action"] == "convert"
    assert js["AB"]["switches"][0]["members"]["B"] == {"below": "3", "at": "3", "above": "1"}
    assert js["pool"]["switches"][0]["action"] == "exercised"
    assert [d["unit"] for d in crossovers_json(an)] == ["AB", "pool"]


CAPPED_NO_CONVERSION = """\
    format = 1
    [charter]
    id = "tiny-cap"
    [[series]]
    id = "P"
    designated = 1000000
    original_issue_price = "1.00"
    source = "1"
    [series.preference]
    source = "2(a)"
    [series.participation]
    kind = "capped"
    cap = "2.00"
    source = "2(b)"
    [[tiers]]
    id = "pref"
    series = ["P"]
    shortfall = "preference"
    source = "2(a)"
    [captable]
    common_outstanding = 1000000
"""


def test_cap_without_conversion_stays_flat_forever(tmp_path):
    """P: $1 preference (1,000,000), then shares 50/50 with common until it has
    $2 x 1,000,000: another 1,000,000 needs 2,000,000 of residual, so the cap binds at
    E = 3,000,000; P cannot convert, so the flat zone never ends."""
    an = analyze(load_model(_write(tmp_path, "cap", CAPPED_NO_CONVERSION)))
    assert crossovers(an) == []
    (cap,) = caps(an)
    assert (cap.binds_at, cap.converts_at, cap.crossover) == (F(3_000_000), None, None)
    (zone,) = cap.zones
    assert (zone.lo, zone.hi, zone.ends) == (F(3_000_000), None, None)
    assert zone.marginal[0].shares == {"common": F(1)}


def test_converts_stops_converts_again(tmp_path):
    """Switches are read off the pieces' profiles: a unit that converts on (10, 20),
    keeps on (20, 30) and converts from 30 on has three switches and crossover 30."""
    model = load_model(_write(tmp_path, "vote", VOTE))
    units = model.units()
    zero = (F(0), F(0))

    def piece(lo, hi, acts, a_form):
        forms = {"A": a_form, "B": zero, "common": zero, "pool": zero}
        prof = (acts, False)
        return Piece(F(lo), None if hi is None else F(hi), prof, (prof,), forms, True)

    segs = [
        piece(0, 10, False, (F(0), F(1, 10))),  # A: 0.1 E
        piece(10, 20, True, (F(-1), F(1, 5))),  # A: 0.2 E - 1 (equal to 0.1 E at 10)
        piece(20, 30, False, (F(3), F(0))),  # A: 3
        piece(30, None, True, (F(-3), F(1, 5))),  # A: 0.2 E - 3
    ]
    an = Analysis(model, units, segs, [], segs, {})
    c = _by_unit(an)["AB"]
    assert [(s.x, s.acting) for s in c.switches] == [(F(10), True), (F(20), False), (F(30), True)]
    assert c.x == F(30) and c.returns
    n = F(600_000)
    assert (c.switches[0].per_share.below, c.switches[0].per_share.above) == (F(1) / n, F(1) / n)
    assert c.switches[0].per_share.at is None  # no point evaluation given
    assert (c.final.per_share.below, c.final.per_share.above) == (F(3) / n, F(3) / n)
    assert [s["action"] for s in crossovers_json(an)[0]["switches"]] == ["convert", "stop converting", "convert"]


def test_never_converts_at_the_end(tmp_path):
    model = load_model(_write(tmp_path, "vote", VOTE))
    zero = (F(0), F(0))
    forms = {"A": zero, "B": zero, "common": zero, "pool": zero}
    segs = [Piece(F(0), F(5), (False, False), ((False, False),), forms, True),
            Piece(F(5), F(9), (True, False), ((True, False),), forms, True),
            Piece(F(9), None, (False, False), ((False, False),), forms, True)]
    an = Analysis(model, model.units(), segs, [], segs, {})
    c = _by_unit(an)["AB"]
    assert c.x is None and c.final is None
    assert [(s.x, s.acting) for s in c.switches] == [(F(5), True), (F(9), False)]

"""Surviving mutants of charterverify/properties/ (issue 17), the functions of branch `base`:
base.py's helpers, reading._where / reading.check, consistency._families / _siblings,
conservation._forms_proof / check and monotonicity._junction.

Each test names the mutants it kills (function and mutmut number, as listed in docs/testing.md,
"Surviving mutants of properties/, by function"); every expected value is worked out by hand in
the docstring or a comment. Charters: tests/charters/properties/base-*.toml (their header
comments give the arithmetic).
"""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace

import pytest

from charterverify.evaluate import choice_of
from charterverify.findings import Severity, Verdict
from charterverify.model import CARVE_OUT, COMMON
from charterverify.properties import base
from charterverify.properties.base import (
    Locator, fx, PropertyResult, fixed_forms, grid_pairs, holder_label, join_names, merge_ranges,
    piece_value, positive_region, price, range_text, segment_at, simplest_between, unproved_findings,
    value_at,
)
from charterverify.solver.breakpoints import Piece

from propsupport import PROPS, analysed

F = Fraction
POOL = str(PROPS / "base-pool.toml")


def pool():
    return analysed(POOL)


# ---------------------------------------------------------------- words and numbers


def test_join_names_of_nothing_is_empty():
    """base.join_names 2 ("XXXX" for no names): no names join to the empty string."""
    assert join_names([]) == ""
    assert join_names(["A"]) == "A"
    assert join_names(["A", "B"]) == "A and B"


def test_price_about_a_whole_dollar_keeps_no_decimals():
    """base.price 9, 10 (`startswith("about")` mutated): an amount with no exact decimal is rounded
    to the cent by `money` with "about" in front; 5 + 1/300 rounds to 500 cents = $5, which `money`
    writes "$5", so the price is "about $5" (the "about" branch adds no ".00"). $10/3 rounds to
    $3.33, already with decimals."""
    assert price(F(5) + F(1, 300)) == "about $5"
    assert price(F(10, 3)) == "about $3.33"
    assert price(F(5)) == "$5.00"


def test_holder_labels():
    """base.holder_label 6, 7, 8 (the carve-out's label mutated): the management carve-out is
    "The management carve-out", capitalised as every label that opens a sentence."""
    model, _ = pool()
    assert holder_label(model, CARVE_OUT) == "The management carve-out"
    assert holder_label(model, COMMON) == "Common stock"
    assert holder_label(model, "A") == "Series A"
    assert holder_label(model, "pool") == "Option pool pool"


def test_range_text_of_one_exit_value():
    """base.range_text 4 (`money(None)` for a range of one exit value): lo == hi reads "at $150"."""
    assert range_text(F(150), F(150)) == "at $150"
    assert range_text(F(150), F(300)) == "from $150 to $300"
    assert range_text(F(150), None) == "from $150 up"


def test_result_without_findings_has_no_severity():
    """base.PropertyResult.to_json 9 (`sev.label if sev or True`): a result with no findings has
    severity None in the JSON (the mutant reads `.label` of None and raises)."""
    r = PropertyResult("priority", Verdict.PROVED)
    assert r.to_json() == {"rule": "priority", "verdict": "proved", "severity": None, "findings": []}


# ---------------------------------------------------------------- where in the model


def test_locator_keys_of_a_pool_and_the_carve_out():
    """base.Locator.unit 6, 7 (the option kind's test mutated: an option pool's unit would be
    looked up as a series and raise KeyError), base.Locator.holder 7, 8 (the carve-out's key
    "scenario" mutated), base.Locator.__init__ 1 (`self.model = None`: `line` reads it).
    base-pool.toml: the pool is captable.options[0] (line 43 of the file), A's conversion is
    series[0].conversion (line 31)."""
    model, an = pool()
    loc = Locator(model)
    a_unit, pool_unit = an.units
    assert pool_unit.kind == "option"
    assert loc.unit(pool_unit) == "captable.options[0]"
    assert loc.unit(a_unit) == "series[0].conversion"
    assert loc.holder("pool") == "captable.options[0]"
    assert loc.holder(CARVE_OUT) == "scenario"
    assert loc.holder(COMMON) == "captable.common_outstanding"
    assert loc.line(loc.unit(pool_unit)) == 43
    assert loc.line(loc.unit(a_unit)) == 31


# ---------------------------------------------------------------- exact payouts from an analysis


def test_payouts_of_a_holder_the_analysis_does_not_pay():
    """base.value_at 7, 9, 11 (the default of a point's payouts: None, none, 1), base.piece_value
    3, 5, 7, 9 (the default form: None, none, (1, 0), (0, 1)): a holder not in the payouts (here
    "nobody") is paid 0 at a breakpoint ($150) and inside a piece ($200, where A has its $150:
    min(200, 150)), and `value_at` raises its own message below exit value 0."""
    model, an = pool()
    assert F(150) in an.points
    assert value_at(an, "nobody", F(150)) == 0
    assert value_at(an, "A", F(150)) == 150
    assert value_at(an, "nobody", F(200)) == 0
    assert value_at(an, "A", F(200)) == 150
    piece = an.piece_at(F(200))
    assert piece_value(piece, "nobody", F(200)) == 0
    assert piece_value(piece, COMMON, F(200)) == 50  # 200 - 150
    with pytest.raises(ValueError, match=r"^exit value -1 is not covered by the analysis$"):
        value_at(an, "A", F(-1))


def test_segment_at_a_breakpoint_is_an_error():
    """base.segment_at 2 (`s.lo <= x`), 5 (`x <= s.hi`), 6 (the error's words): segments are open
    intervals, so the breakpoint $150 (between (0, 150) and (150, 300)) is inside none of them."""
    _, an = pool()
    with pytest.raises(ValueError, match=r"^exit value 150 is not inside a segment$"):
        segment_at(an, F(150))
    s = segment_at(an, F(200))
    assert (s.lo, s.hi) == (150, 300)


def _piece(lo, hi, proved=True, reason=None):
    return Piece(lo=F(lo), hi=None if hi is None else F(hi), profile=(), profiles=((),), forms={},
                 proved=proved, reason=reason)


def test_three_runs_of_unproved_pieces():
    """base.unproved_findings 11 (`runs[+1].append`): segments unproved on (0, 1), (2, 3), (4, 5)
    and (5, 6), proved between: three runs, the last of two adjacent pieces, (4, 6). The mutant
    appends (5, 6) to the second run instead: (2, 6) and (4, 5)."""
    model, _ = pool()
    an = SimpleNamespace(segments=[
        _piece(0, 1, False, "timeout"), _piece(1, 2), _piece(2, 3, False), _piece(3, 4),
        _piece(4, 5, False, "budget"), _piece(5, 6, False), _piece(6, None)])
    fs = unproved_findings(model, an, "priority", "Priority")
    assert [f.message for f in fs] == [
        "Priority is not proved for exit values from $0 to $1: timeout",
        "Priority is not proved for exit values from $2 to $3: the solver gave up",
        "Priority is not proved for exit values from $4 to $6: budget",
    ]
    assert [f.witness for f in fs][2] == {"from": "4", "to": "6", "reason": "budget"}
    assert all(f.verdict is Verdict.UNKNOWN and f.severity is Severity.WARNING for f in fs)


# ---------------------------------------------------------------- probes and regions


def test_positive_region():
    """base.positive_region 5 (`a <= 1` for a flat form), 19 (`r = root` always: the last root
    instead of the smallest). (1, 0) is positive everywhere (a flat $1); 5 - E > 0 below 5 and
    10 - E below 10: together below min(5, 10) = 5; with E - 2 > 0 as well, (2, 5)."""
    assert positive_region(F(0), None, [(F(1), F(0))]) == (0, None)
    assert positive_region(F(0), None, [(F(5), F(-1)), (F(10), F(-1))]) == (0, 5)
    assert positive_region(F(0), None, [(F(-2), F(1)), (F(5), F(-1)), (F(10), F(-1))]) == (2, 5)
    assert positive_region(F(0), None, [(F(0), F(0))]) is None
    assert positive_region(F(0), F(100), [(F(5), F(-1)), (F(-7), F(1))]) is None  # E > 7 and E < 5


def test_merge_ranges():
    """base.merge_ranges 3, 5 (sorted by the whole range: None against a number raises), 7 (sorted
    by hi), 13 (`is not None or`: disjoint ranges merged), 33 (`break`: ranges after the first
    merge dropped)."""
    # two ranges from 1: the unbounded one first (a stable sort keeps it first); merged, up
    assert merge_ranges([(F(1), None), (F(1), F(2))]) == [[1, None]]
    # (2, 3) lies inside (1, 10): sorted by lo, (1, 10) comes first and absorbs it
    assert merge_ranges([(F(2), F(3)), (F(1), F(10))]) == [[1, 10]]
    # disjoint ranges stay apart; touching ones merge
    assert merge_ranges([(F(3), F(4)), (F(1), F(2))]) == [[1, 2], [3, 4]]
    assert merge_ranges([(F(1), F(3)), (F(2), F(4)), (F(6), F(7)), (F(7), None)]) == [[1, 4], [6, None]]


def test_grid_pairs():
    """base.grid_pairs 4, 8 (`x * step`), 6 (`/ step` for `* step`), 12, 13 (the pair around a
    point on the grid: `x + step, x + step`, `x - step, x - step`). x = 5/2 lies between the whole
    dollars 2 and 3, and on the cent grid (250 cents): (2.49, 2.5), (2.5, 2.51), (2.49, 2.51), then
    the same at 10^-4 and 10^-6. x = 3 is on every grid: the three pairs at each step."""
    c, t, m = F(1, 100), F(1, 10**4), F(1, 10**6)
    x = F(5, 2)
    assert list(grid_pairs(x)) == [
        (2, 3), (x - c, x), (x, x + c), (x - c, x + c), (x - t, x), (x, x + t), (x - t, x + t),
        (x - m, x), (x, x + m), (x - m, x + m)]
    x = F(3)
    pairs = list(grid_pairs(x))
    assert pairs[:3] == [(2, 3), (3, 4), (2, 4)]
    assert len(pairs) == 12 and all(a < b and a <= x <= b for a, b in pairs)
    x = F(1234567, 1000000)  # 1.234567: on none of the grids but 10^-6
    assert list(grid_pairs(x))[:3] == [(1, 2), (F(123, 100), F(124, 100)), (F(12345, 10**4), F(12346, 10**4))]


def test_simplest_between():
    """base.simplest_between 22 (the search starts at 10^16), 23 (`step > 10^-9`), 28 (the floor
    2·10^-9), 29 (the floor 1/90), 31 (the floor 10^-10), 42, 43, 44 (the midpoint mutated).
    (0, 2·10^16): the coarsest step tried is 10^15, whose first multiple above 0 is 10^15.
    (0, 1.5·10^-9): the first step that fits is 10^-9, the floor itself. (0, 1.5·10^-10): no step
    down to 10^-9 fits (10^-9 > 1.5·10^-10): the midpoint 0.75·10^-10. (10^-10, 2·10^-10): its
    midpoint 1.5·10^-10."""
    assert simplest_between(F(0), F(2 * 10**16)) == 10**15
    assert simplest_between(F(0), F(15, 10**10)) == F(1, 10**9)
    assert simplest_between(F(0), F(15, 10**11)) == F(75, 10**12)
    assert simplest_between(F(1, 10**10), F(2, 10**10)) == F(15, 10**11)
    assert simplest_between(F(150), None) == 200
    assert simplest_between(F(50), F(150)) == 100


# ---------------------------------------------------------------- fixed_forms


A_KEEPS = {"A": (F(0), F(1)), COMMON: (F(0), F(0)), "pool": (F(0), F(0))}       # A = E below 150
A_PAID = {"A": (F(150), F(0)), COMMON: (F(-150), F(1)), "pool": (F(0), F(0))}   # A = 150, common E - 150


def _nobody(an):
    return choice_of(an.units, (False, False))


def test_fixed_forms_pieces_of_one_profile():
    """base.fixed_forms, nobody converting in base-pool.toml: A = min(E, 150), the common E - 150
    above $150, the pool 0. Kills 58, 60 (`max(a, None)` when the left side has no kink), 59 (the
    left bound ignored), 67 (the right bound ignored), 69, 71 (`min(None, bound)` on an unbounded
    interval), 70, 71 (the right bound taken beyond a bounded interval), 78 (the holders filter),
    85 (`b is None and r < b`), 91 (sorted by hi: None against a number raises).

    (0, ∞): probe 1; its right side kinks at 150: (0, 150), then (150, ∞) (probe 200).
    (120, 1000): probe 200 (the first multiple of 100 above 120); its left side kinks at 150, so
    the piece is (150, 1000) and (120, 150) is done next (probe 130): sorted, (120, 150), (150, 1000).
    (0, 100): probe 10; the kink at 150 lies beyond 100: one piece (0, 100)."""
    model, an = pool()
    ch = _nobody(an)
    assert fixed_forms(model, ch, F(0), None) == [(0, 150, A_KEEPS), (150, None, A_PAID)]
    assert fixed_forms(model, ch, F(120), F(1000)) == [(120, 150, A_KEEPS), (150, 1000, A_PAID)]
    assert fixed_forms(model, ch, F(0), F(100)) == [(0, 100, A_KEEPS)]
    assert fixed_forms(model, ch, F(0), None, holders=["A"]) == [
        (0, 150, {"A": A_KEEPS["A"]}), (150, None, {"A": A_PAID["A"]})]


def test_fixed_forms_kink_at_the_probe():
    """base.fixed_forms 51 (`and` for `or`): on (140, 160) the probe is 150 (no multiple of 100
    fits; of 10, the first above 140), the kink itself: A's payout is 150 on both sides (its value
    agrees), its slope is 1 on the left and 0 on the right. The interval is split at the probe:
    (140, 150) and (150, 160); the mutant splits only when value and slope both differ and reports
    one piece with the right side's forms."""
    model, an = pool()
    assert simplest_between(F(140), F(160)) == 150
    assert fixed_forms(model, _nobody(an), F(140), F(160)) == [(140, 150, A_KEEPS), (150, 160, A_PAID)]


def test_fixed_forms_guard(monkeypatch):
    """base.fixed_forms 9 (`guard = 1`), 10 (`guard = 1` every round: never raises), 11 (`-=`: never
    raises), 12 (`+= 2`), 13 (`>=`), 14 (`> 10001`), 15, 16, 17 (the error's words): a waterfall
    that kinks at every probe makes the work list grow for ever; the guard stops it after 10,000
    rounds (two waterfalls each: 20,000 calls) with "fixed_forms: too many pieces". The stand-in
    waterfall stops a mutant that never raises at 30,000 calls."""
    model, an = pool()
    calls = [0]

    def kinky(model, v, choice):
        calls[0] += 1
        if calls[0] > 30_000:
            raise AssertionError("no guard")
        return {"A": SimpleNamespace(v=calls[0], s=0)}  # never the same on both sides

    monkeypatch.setattr(base, "waterfall", kinky)
    with pytest.raises(RuntimeError, match=r"^fixed_forms: too many pieces$"):
        fixed_forms(model, _nobody(an), F(0), None)
    assert calls[0] == 20_000


def test_fixed_forms_below_the_transaction_costs():
    """base.fixed_forms 58 (`max(a, bound)` even when the left side has no kink): pool_costs.toml
    has $50 of transaction costs; at the first probe, $1, nothing flips to its left (the costs
    flip at 50, to its right), so the left bound is None and the mutant raises TypeError.
    Nobody converting, the pool not exercised: the net max(E - 50, 0); A (100 shares, $1 preference)
    min(net, 100), the common the rest: (0, 50) nothing to anyone; (50, 150) A = E - 50; from 150
    A = 100 and the common E - 150."""
    model, an = analysed(str(PROPS / "pool_costs.toml"))
    zero = (F(0), F(0))
    got = fixed_forms(model, choice_of(an.units, tuple(False for _ in an.units)), F(0), None)
    assert got == [
        (0, 50, {"A": zero, COMMON: zero, "pool": zero}),
        (50, 150, {"A": (F(-50), F(1)), COMMON: zero, "pool": zero}),
        (150, None, {"A": (F(100), F(0)), COMMON: (F(-150), F(1)), "pool": zero}),
    ]


def test_verdict_of_defaults_to_applicable():
    """base.verdict_of 1 (`applicable=False` by default): with no findings, or only informational
    ones (verdict PROVED), the property is PROVED unless the caller says it does not apply."""
    model, _ = pool()
    info = base.make_finding(model, "reading", Severity.INFO, "x", verdict=Verdict.PROVED)
    assert base.verdict_of([]) is Verdict.PROVED
    assert base.verdict_of([info]) is Verdict.PROVED
    assert base.verdict_of([], applicable=False) is Verdict.NOT_APPLICABLE


# ---------------------------------------------------------------- reading


READINGS = str(PROPS / "base-readings.toml")
DIVIDENDS = str(PROPS / "base-dividends.toml")


def _line(path: str, start: str) -> int:
    """The 1-based line of the file's one line that starts with `start`."""
    hits = [i for i, l in enumerate(open(path), 1) if l.startswith(start)]
    assert len(hits) == 1, hits
    return hits[0]


def test_reading_findings_are_located_at_the_key_each_reading_interprets():
    """reading._where, base-readings.toml (no [readings] table, so each finding is located by
    `_where`'s key): votes_in_sale at automatic_conversion[0].vote (kills 39, 41, 42, 43: the key
    without "vote" falls back to the entry's header line), undeclared_dividends at
    series[0].dividends.in_preference (49: `undeclared_series(model)[1]` raises with one such
    series; 51, 53, 54, 55), valuation at automatic_conversion[0].min_valuation (74, 76, 77, 78).
    offering_size is applicable only where the model states it or takes "exceeding": taken in code
    (as `--reading offering_size=exceeding` does), it is located at the first entry with a size
    test that is not strict, automatic_conversion[1].min_aggregate (61: `or not a.strict` picks
    entry 0, which has no size test; 65, 67, 68, 69)."""
    import dataclasses as dc

    from charterverify.properties import reading

    model, an = analysed(READINGS)
    model = dc.replace(model, readings=dc.replace(model.readings, offering_size="exceeding"))
    got = {f.witness["reading"]: (f.line, f.clause) for f in reading.check(model, an)}
    assert got == {
        "votes_in_sale": (_line(READINGS, "vote = "), "4.B.5(a)"),
        "valuation": (_line(READINGS, "min_valuation = "), "4.B.5(a)"),
        "undeclared_dividends": (_line(READINGS, "in_preference = "), "4.B.1"),
        "offering_size": (_line(READINGS, "min_aggregate = "), "4.B.5(b)"),
    }
    assert _line(READINGS, "vote = ") == 68 and _line(READINGS, "min_aggregate = ") == 74


def test_reading_undeclared_dividends_witness():
    """reading.check on base-dividends.toml (worked in its header): cash_on_conversion is
    applicable and changes nothing, so it is skipped and the next reading still reported (kills 12,
    `break`); undeclared_dividends: "accrued" adds 2 years x $10 = $20 to A's $100 preference.
    Accrued minus none: A +20 and the common -20 from $120 to $199, less elsewhere: the largest total
    change, 40, first (and exactly) at $120. The finding (kills 25, verdict None; 53, 54 the key
    "limit"; 59-62 "most_lost" and its values; 63-66 "most_gained"; 67, 69, 70, 71 "per_year",
    $10 a year = 100 shares x $0.10)."""
    from charterverify.properties import reading

    model, an = analysed(DIVIDENDS)
    fs = reading.check(model, an)
    assert len(fs) == 1
    f = fs[0]
    assert f.verdict is Verdict.PROVED and f.severity is Severity.INFO
    assert (f.line, f.clause) == (_line(DIVIDENDS, "in_preference = "), "4.B.1")
    assert f.message.endswith("accrued instead: the preferences grow by $10 a year in all at the stated "
                              "rates (Series A $10); as of 2022-01-01: Series A +$20, Common stock -$20, at $120")
    assert f.witness == {
        "reading": "undeclared_dividends", "value": "none", "alternative": "accrued", "at": "120",
        "limit": None, "changes": {"A": "20", COMMON: "-20"},
        "most_lost": {"A": ["20", "120"]}, "most_gained": {COMMON: ["20", "120"]}, "per_year": {"A": "10"},
    }


def test_reading_witness_of_a_limit_and_no_dividends(monkeypatch):
    """reading.check's witness for an effect approached, not attained ("just above" an exit value),
    of a reading without dollars a year: kills 55 (`side.strip() and None`: the limit lost) and 68
    (`per_year` always written, here as {}). The effect is given (`effect` replaced): B +$50 and the
    common -$50 just above $300, B's most lost, the common's most gained, nothing a year."""
    from charterverify.properties import reading
    from charterverify.readings import Effect

    model, an = analysed(DIVIDENDS)
    eff = Effect("undeclared_dividends", "none", "accrued", at=F(300), changes={"A": F(50), COMMON: F(-50)},
                 most_lost={"A": (F(50), F(300))}, most_gained={COMMON: (F(50), F(300))}, side="just above ")
    monkeypatch.setattr(reading, "applicable", lambda m: ["undeclared_dividends"])
    monkeypatch.setattr(reading, "effect", lambda m, name, tables=None: eff)
    (f,) = reading.check(model, an)
    assert f.witness == {
        "reading": "undeclared_dividends", "value": "none", "alternative": "accrued", "at": "300",
        "limit": "just above", "changes": {"A": "50", COMMON: "-50"},
        "most_lost": {"A": ["50", "300"]}, "most_gained": {COMMON: ["50", "300"]},
    }


# ---------------------------------------------------------------- consistency


def test_two_families_of_siblings():
    """consistency._families 5 (every family keyed None: G1-G3 and H1-H3 one family of six) and
    consistency._siblings 42 (`break` when a family has fewer than three capped members: the
    preference check never reached). base-siblings.toml: G at 1x, H1 and H2 at 2x, H3 at 1x
    ($3 on $3). Apart, only H3 breaks its family's pattern: 2 x $3.00 = $6.00 (line 77, its
    per_share). As one family of six, 1x would be the pattern (4 of 6) and H1, H2 would break it."""
    from charterverify.model import load_model
    from charterverify.properties import consistency

    path = PROPS / "base-siblings.toml"
    m = load_model(path)
    found = [f for f in consistency.check(m) if "pattern" in f.message]
    assert [(f.line, f.clause, f.message, f.witness) for f in found] == [
        (77, "4.B.2(h3)", "Series H3's preference of $3.00 per share (4.B.2(h3)) breaks the pattern of "
         "Series H1 and H2 (2 × the original issue price): 2 × $3.00 = $6.00",
         {"series": "H3", "kind": "preference", "value": "3", "expected": "6", "multiple": "2",
          "actual_multiple": "1", "siblings": ["H1", "H2"]})]


# ---------------------------------------------------------------- conservation


def test_conservation_forms_proof_reports_the_first_counterexample():
    """conservation._forms_proof 108 (every counterexample returned), 110 (the first two):
    base-pool.toml with A's form on the pieces (0, 150) and (300, 1000) raised by $1. The first
    piece's probe is 100 (the first multiple of 100 in it): A 100 + 1, the common 0, the pool 0:
    $101 against the exit value $100; the second piece is refuted too, but only the first
    counterexample is reported. No costs or carve-out: located at tiers[0] (line 35), the tier's
    clause."""
    import dataclasses as dc

    from charterverify.properties import conservation
    from propsupport import variant

    m, an = variant(PROPS / "base-pool.toml")
    for i in (0, 2):
        s = an.segments[i]
        a, b = s.forms["A"]
        an.segments[i] = dc.replace(s, forms={**s.forms, "A": (a + 1, b)})
    assert (an.segments[0].lo, an.segments[0].hi, an.segments[2].lo, an.segments[2].hi) == (0, 150, 300, 1000)
    found = conservation._forms_proof(m, an)
    assert [(f.message, f.line, f.clause, f.witness) for f in found] == [(
        "At an exit value of $100 the payouts add up to $101, not $100 (the exit value) when nobody converts",
        35, "4.B.1",
        {"exit_value": "100", "total": "101", "expected": "100", "converted": [], "method": "piece forms"})]


def test_conservation_unknown_pieces_name_the_file(monkeypatch):
    """conservation.check 47 (the unknown finding's file None): base-pool.toml without its exact
    tables (the z3 path), z3's answer unknown, and the piece (150, 300) unproved; the forms refute
    nothing, so that piece is reported unknown, in the charter's file, with no line (no model key
    states it) and z3's reason. z3's answer is given (`_z3_proof` replaced) rather than starved for
    real: a query cut off by a resource limit of 1 leaves z3's shared state so that later starved
    sweeps in the same process give up elsewhere (tests/test_gave_up.py compares two such sweeps)."""
    import dataclasses as dc

    from charterverify.properties import conservation
    from propsupport import variant

    m, an = variant(PROPS / "base-pool.toml")
    an = dc.replace(an, tables=None)
    an.segments[1] = dc.replace(an.segments[1], proved=False, reason="canceled")
    monkeypatch.setattr(conservation, "_z3_proof", lambda model, an, rlimit: ("unknown", "max. resource limit exceeded"))
    [f] = conservation.check(m, an)
    assert (f.file, f.line, f.clause, f.verdict, f.message) == (
        m.path, None, None, Verdict.UNKNOWN,
        "That the payouts add up to the exit value is not proved for exit values from $150 to $300: canceled")
    assert f.file.endswith("base-pool.toml")
    assert f.witness == {"from": "150", "to": "300", "reason": "canceled", "z3": "max. resource limit exceeded"}


# ---------------------------------------------------------------- monotonicity._junction
# The witness search near a junction, called directly on pieces built by hand: A's payout on the
# piece left of the junction x, at x itself (V) and on the piece right of it, each affine
# (intercept, slope). `_junction` looks for two exit values a < b around x with A paid less at b:
# first on the grids of `grid_pairs(x)`, then, exactly, at x ± eps for eps from half the narrower
# neighbouring piece, halved up to 400 times.


def _jp(lo, hi, a, b, profile=()):
    return Piece(lo=F(lo), hi=None if hi is None else F(hi), profile=profile, profiles=(profile,),
                 forms={"A": (F(a), F(b))}, proved=True)


def _junction(x, left, right, V, bp=None, units=(), point_profile=()):
    from charterverify.properties import monotonicity

    model, _ = pool()
    an = SimpleNamespace(units=units, points={F(x): SimpleNamespace(profile=point_profile)},
                         segments=[p for p in (left, right) if p is not None])
    return monotonicity._junction(model, an, Locator(model), "A", F(x), left, right, F(V), bp)


def _pair(f):
    w = f.witness
    return w["exit_low"], w["exit_high"], w["payout_low"], w["payout_high"]


def test_junction_at_zero_found_by_the_grid():
    """_junction 23 (`a <= 0`), 24 (`a < 1`), 25 (`break` at the first pair below 0): at x = 0, A
    paid $1 and 0 on (0, 10): the first grid pair at or above 0 is (0, 1): $1 then $0. The mutants
    skip every grid pair (all start at 0 or below, the first below 0) and the exact fallback finds
    (0, 5) (eps = 10 / 2)."""
    f = _junction(0, None, _jp(0, 10, 0, 0), 1)
    assert _pair(f) == ("0", "1", "1", "0")
    assert f.witness["drop"] == "1" and f.witness["breakpoint"] == "0"


def test_junction_at_zero_found_by_the_exact_fallback():
    """_junction 39 (`left.lo` with no left piece: AttributeError), 42 (the right end x + 2 even for a
    bounded piece), 53 (`d >= 0`: the distance 0 to the missing left piece makes eps 0), 70 (`a > 0`),
    71 (`a >= 1`): the exit value 0 is never a probe. At x = 0 A is paid $1, then E on (0, 10^-8):
    every grid probe above 0 (1, 0.01, 10^-4, 10^-6) lies beyond the piece. Fallback: eps = 10^-8 / 2
    = 1/200,000,000; (0 - eps, 0 + eps) starts below 0; (0, eps): $1 then $eps: the pair. (With the
    end 2, eps would halve from 1 to 2^-27, the first below 10^-8.)"""
    f = _junction(0, None, _jp(0, F(1, 10**8), 0, 1), 1)
    e = F(1, 2 * 10**8)
    assert _pair(f) == ("0", fx(e), "1", fx(e))
    assert f.message == "Series A receives less at $0.000000005 than at $0 ($0.000000005 vs $1): payouts change"


def test_junction_fallback_starts_at_half_the_narrower_piece():
    """_junction 48 (eps twice as large), 60 (the first probe (x + eps, x + eps)), 61 ((x - eps,
    x - eps)): at x = 1 A falls from $5 on (1 - 10^-8, 1) and at 1 to $3 on (1, 1 + 10^-7). No grid
    probe lies inside both pieces. eps = min(10^-8, 10^-7) / 2 = 5·10^-9, and the first probe pair
    (1 - eps, 1 + eps) is $5 then $3. Twice eps puts 1 - 2·10^-8 outside the left piece: the
    mutant's pair is (1, 1 + 2·10^-8); with the first probe collapsed, (1, 1 + eps)."""
    f = _junction(1, _jp(1 - F(1, 10**8), 1, 5, 0), _jp(1, 1 + F(1, 10**7), 3, 0), 5)
    e = F(5, 10**9)
    assert _pair(f) == (fx(1 - e), fx(1 + e), "5", "3")
    assert f.witness["drop"] == "2"


def test_junction_fallback_with_the_narrower_piece_on_the_right():
    """_junction 52 (`hi + x` for `hi - x`: the right piece's width never the smaller): the same
    fall with the pieces' widths swapped, (1 - 10^-7, 1) and (1, 1 + 10^-8): eps = 10^-8 / 2 = 5·10^-9
    again, the pair (1 - eps, 1 + eps). The mutant starts at 10^-7 / 2 and halves to 6.25·10^-9."""
    f = _junction(1, _jp(1 - F(1, 10**7), 1, 5, 0), _jp(1, 1 + F(1, 10**8), 3, 0), 5)
    e = F(5, 10**9)
    assert _pair(f) == (fx(1 - e), fx(1 + e), "5", "3")


def test_junction_fallback_on_an_unbounded_right_piece():
    """_junction 45 (`x - 2` for the end of an unbounded piece), 46 (`x + 3`), 62 (the second probe
    (x, x - eps)), 78 (`eps = 2`), 79 (`eps *= 2`), 80 (`eps /= 3`): at x = 10 A is paid 0 on
    (0, 10), $1 at 10, and 10^7·(E - 10) from 10 up (intercept -10^8, slope 10^7): the fall from $1
    lasts only until 10 + 10^-7, closer than any grid step. Fallback: the right end is taken as
    x + 2 = 12, eps = min(10, 2) / 2 = 1, halved until 10^7·eps < 1: eps = 2^-24 (2^-23 = 1.19·10^-7
    is not below 10^-7); the pair (10, 10 + 2^-24), A paid 10^7 / 2^24 = 78125/131072 there. The
    mutants: eps from 5 (45: 5·2^-26), from 3/2 (46: 3·2^-25), (10, 9) at once (62), stuck at 2
    or growing (78, 79: no pair), thirds (80: 3^-15)."""
    f = _junction(10, _jp(0, 10, 0, 0), _jp(10, None, -10**8, 10**7), 1)
    e = F(1, 2**24)
    assert _pair(f) == ("10", fx(10 + e), "1", fx(F(78125, 131072)))
    assert F(10**7) * e == F(78125, 131072)


def test_junction_probe_on_the_left_piece_end():
    """_junction 5 (`e < left.lo`: the left piece's own end counts as inside it): at x = 1 A falls
    from $5 on (0, 1) to $3 at 1 and after. The grid pair (0, 1) starts on the left piece's end,
    where the piece does not reach: skipped; (0.99, 1) is the pair. The mutant takes (0, 1)."""
    f = _junction(1, _jp(0, 1, 5, 0), _jp(1, 10, 3, 0), 3)
    assert _pair(f) == ("0.99", "1", "5", "3")


def test_junction_no_fall_at_the_junction_itself():
    """_junction 14 (`e > right.hi`: the right piece's own end counts as inside it): at x = 1 A is
    paid $3 on (0, 1] and 4.5 - E on (1, 2): no fall at the junction ($3.50 just right of it); A's
    payout falls below $3 only past 1.5, inside the right piece (a fall of the piece, reported by
    `check` as such). Neither the grids nor the exact fallback (eps from 1/2, where 3.5 - eps is not
    below 3) find a pair: None. The mutant reads the piece at its end, 2: $2.50, and reports (1, 2)."""
    assert _junction(1, _jp(0, 1, 3, 0), _jp(1, 2, F(9, 2), -1), 3) is None


def test_junction_fall_of_a_series_with_several_causes():
    """_junction 126 (`clause = None`), 128 (`_holder_clauses(model, None)`), 143 (the causes joined
    by "XX; XX"): no unit switches at the junction, so the causes are the breakpoint's, joined by
    "; ", and the clause is the holder's own: A's preference and tier clause 4.B.1 (one, repeated);
    the key is A's table, series[0] (line 21 of base-pool.toml)."""
    bp = SimpleNamespace(causes=["Series A's preference is paid in full", "the common starts to share"])
    f = _junction(1, _jp(0, 1, 5, 0), _jp(1, 10, 3, 0), 3, bp=bp)
    assert (f.message, f.clause, f.line, f.severity) == (
        "Series A receives less at $1 than at $0.99 ($3 vs $5): Series A's preference is paid in full; "
        "the common starts to share", "4.B.1", 21, Severity.ERROR)


def test_junction_fall_at_a_conversion_names_the_conversion_clause():
    """_junction 111 (`unit_source(None, u)`): A's unit switches (it converts at 1): the cause is the
    switch, the clause the unit's; a unit built without its own clause (source None) takes its
    series' conversion clause from the model (4.B.4), which the mutant cannot read. The key is the
    conversion, series[0].conversion (line 31)."""
    from charterverify.model import ConversionUnit

    u = ConversionUnit("A", "series", ("A",), "A", None)
    f = _junction(1, _jp(0, 1, 5, 0, (False,)), _jp(1, 10, 3, 0, (True,)), 3, units=(u,), point_profile=(True,))
    assert (f.clause, f.line, f.severity, f.witness["causes"]) == (
        "4.B.4", 31, Severity.ERROR, ["Series A converts (None)"])


def test_junction_fallback_gives_up_after_400_halvings():
    """_junction 59 (`range(401)`): the exact fallback halves eps at most 400 times. At x = 10 A is
    paid 0 on (0, 10), $1 at 10 and 2^399·(E - 10) from 10 up: below $1 only within 2^-399 of 10.
    eps starts at 1 (min(10, 2) / 2) and is 2^-k in round k; round k finds (10, 10 + 2^-k) when
    2^399·2^-k < 1, i.e. k = 400: the 401st round, which only the mutant runs. So no pair: None."""
    assert _junction(10, _jp(0, 10, 0, 0), _jp(10, None, -10 * 2**399, 2**399), 1) is None
    # one halving fewer needed (slope 2^398): round 399 finds (10, 10 + 2^-399), A paid 1/2 there
    f = _junction(10, _jp(0, 10, 0, 0), _jp(10, None, -10 * 2**398, 2**398), 1)
    assert _pair(f) == ("10", fx(10 + F(1, 2**399)), "1", "0.5")


# ---------------------------------------------------------------- consistency._authorized


AUTHORIZED = PROPS / "base-authorized.toml"


def test_authorized_stock_short_on_both_counts():
    """consistency._authorized on base-authorized.toml (worked in its header): 200 designated against
    150 preferred authorized (preferred.authorized, line 18); conversion needs 200 (A: 100 x 2) + 50
    (B: 50 x 1) = 250 for the preferred and 100 (pool, on common) + 40 (warrants: 20 on A x 2) = 140
    for the pools, 390 against 1,000 - 700 = 300 unissued (common.authorized, line 14)."""
    from charterverify.model import load_model
    from charterverify.properties import consistency

    m = load_model(AUTHORIZED)
    assert [f.rule for f in consistency.check(m)] == ["consistency", "consistency"]
    assert [(f.message, f.clause, f.line, f.severity, f.witness) for f in consistency.check(m)] == [
        ("The series designate 200 preferred shares, more than the 150 authorized (4.A(2))",
         "4.A(2); 4.B(a); 4.B(b)", 18, Severity.ERROR, {"designated": 200, "authorized": 150}),
        ("Conversion needs 390 common shares (250 for the preferred as converted and 140 for the option pools) "
         "but only 300 are authorized and unissued (1,000 authorized, 700 outstanding)",
         "4.A(1); 4.B.4(a); 4.B.4(b)", 14, Severity.ERROR,
         {"needed": "390", "available": 300, "authorized": 1000, "common_outstanding": 700}),
    ]


def test_authorized_stock_in_a_model_built_in_code():
    """consistency._authorized on base-authorized.toml changed in code (as a model built or changed
    by a program, which the loader's checks do not see): B with no outstanding count (it needs
    nothing here: 200 for the preferred), the warrants buying a series "Z" the model does not
    define (no ratio: they need nothing: 100 for the pools), no clause for the preferred
    authorized (the message says "preferred"): 300 needed against 250 unissued (750 outstanding)."""
    import dataclasses as dc

    from charterverify.model import load_model
    from charterverify.properties import consistency

    m = load_model(AUTHORIZED)
    pool, warrants = m.captable.options
    m = dc.replace(m, preferred_source=None, captable=dc.replace(
        m.captable, outstanding={"A": 100}, common_outstanding=750, options=(pool, dc.replace(warrants, buys="Z"))))
    fs = consistency._authorized(m, Locator(m))
    assert [(f.message, f.clause) for f in fs] == [
        ("The series designate 200 preferred shares, more than the 150 authorized (preferred)", "4.B(a); 4.B(b)"),
        ("Conversion needs 300 common shares (200 for the preferred as converted and 100 for the option pools) "
         "but only 250 are authorized and unissued (1,000 authorized, 750 outstanding)", "4.A(1); 4.B.4(a); 4.B.4(b)"),
    ]


def test_authorized_stock_exactly_enough():
    """consistency._authorized at both limits: 200 preferred authorized for 200 designated, and 610
    common outstanding, leaving 390 unissued for the 390 conversion needs: no finding. Without
    pools the need is 250 alone and the message names no pools (610 -> 760 outstanding: 240
    unissued, 10 short)."""
    import dataclasses as dc

    from charterverify.model import load_model
    from charterverify.properties import consistency

    m = load_model(AUTHORIZED)
    exact = dc.replace(m, preferred_authorized=200, captable=dc.replace(m.captable, common_outstanding=610))
    assert consistency._authorized(exact, Locator(exact)) == []
    nopools = dc.replace(exact, captable=dc.replace(m.captable, common_outstanding=760, options=()))
    assert [f.message for f in consistency._authorized(nopools, Locator(nopools))] == [
        "Conversion needs 250 common shares (250 for the preferred as converted) but only 240 are authorized "
        "and unissued (1,000 authorized, 760 outstanding)"]
    none = dc.replace(m, preferred_authorized=None, common_authorized=None)
    assert consistency._authorized(none, Locator(none)) == []


# ---------------------------------------------------------------- one profile read off the tables


KEEPS = {"A": (F(0), F(1)), COMMON: (F(0), F(0))}        # base-dividends, A keeps: A = E below $100
PAID = {"A": (F(100), F(0)), COMMON: (F(-100), F(1))}     # then A = 100, the common E - 100


def test_profile_forms_from_the_exact_table():
    """base.profile_forms on base-dividends.toml, A keeping its preferred ($100, the reading
    undeclared_dividends = none): the table's stretches are (0, 100) (A = E) and from 100 (A = 100,
    the common E - 100), clipped to the interval asked for: (0, ∞) both; (50, 150) from 50 to 100
    and 100 to 150; (20, 80) the first only, to 80; (100, ∞) the second only, from 100; (50, 100)
    the first only, up to 100 (the second starts at 100, the interval's end); A's forms alone when
    only A is asked for. The table is read, not the waterfall run (`fixed_forms` replaced by one that
    fails)."""
    model, an = analysed(DIVIDENDS)
    assert an.tables is not None and an.tables.pools is None
    p = (False,)
    assert base.profile_forms(model, an, p, F(0), None) == [(0, 100, KEEPS), (100, None, PAID)]
    assert base.profile_forms(model, an, p, F(50), F(150)) == [(50, 100, KEEPS), (100, 150, PAID)]
    assert base.profile_forms(model, an, p, F(20), F(80)) == [(20, 80, KEEPS)]
    assert base.profile_forms(model, an, p, F(100), None) == [(100, None, PAID)]
    assert base.profile_forms(model, an, p, F(50), F(100)) == [(50, 100, KEEPS)]
    assert base.profile_forms(model, an, p, F(0), None, holders=["A"]) == [
        (0, 100, {"A": KEEPS["A"]}), (100, None, {"A": PAID["A"]})]
    # converted, with $1 of cash on conversion paid first: A = E below $1, then 1 + (E - 1) / 2
    assert base.profile_forms(model, an, (True,), F(0), None, holders=[COMMON]) == [
        (0, 1, {COMMON: (F(0), F(0))}), (1, None, {COMMON: (F(-1, 2), F(1, 2))})]


def test_profile_forms_and_payouts_read_the_table_not_the_waterfall(monkeypatch):
    """base.profile_forms, base.profile_payouts, base._plain_table: with the plain tables at hand, the
    forms and payouts are read off them; the waterfall is not run again (`fixed_forms` and
    `exact_payouts` replaced by stand-ins that fail). A keeping its preferred at $150: A $100 and the
    common $50 (base-dividends: $100 preference)."""
    model, an = analysed(DIVIDENDS)

    def no(*a, **k):
        raise AssertionError("the waterfall was run again")

    monkeypatch.setattr(base, "fixed_forms", no)
    monkeypatch.setattr(base, "exact_payouts", no)
    assert base.profile_forms(model, an, (False,), F(0), None) == [(0, 100, KEEPS), (100, None, PAID)]
    assert base.profile_payouts(model, an, F(150), (False,)) == {"A": 100, COMMON: 50}
    assert base.profile_payouts(model, an, F(100), (False,)) == {"A": 100, COMMON: 0}
    assert base.profile_payouts(model, an, F(3), (True,)) == {"A": 2, COMMON: 1}  # 1 + (3 - 1) / 2


def test_profile_forms_and_payouts_with_option_pools():
    """base.profile_forms and profile_payouts on base-pool.toml: its tables resolve the pool by a
    threshold (not the plain 2^n tables), so both run the waterfall with the profile as given:
    nobody converting and the pool not exercised. A = min(E, 150), the common the rest, the pool 0
    at every exit value, also at $1,000 (where the table's own profile would exercise the pool)."""
    model, an = pool()
    assert an.tables is not None and an.tables.pools is not None
    nobody = (False, False)
    assert base.profile_payouts(model, an, F(1000), nobody) == {"A": 150, COMMON: 850, "pool": 0}
    assert base.profile_payouts(model, an, F(100), nobody) == {"A": 100, COMMON: 0, "pool": 0}
    assert base.profile_forms(model, an, nobody, F(120), F(1000), holders=["A", COMMON]) == [
        (120, 150, {"A": (F(0), F(1)), COMMON: (F(0), F(0))}), (150, 1000, {"A": (F(150), F(0)), COMMON: (F(-150), F(1))})]
    assert base.profile_forms(model, an, nobody, F(0), None) == [(0, 150, A_KEEPS), (150, None, A_PAID)]
    # no analysis at all: the waterfall
    assert base._plain_table(None, nobody) is None


# ---------------------------------------------------------------- conservation._tables_proof


def test_conservation_refuted_by_the_exact_tables():
    """conservation._tables_proof: base-dividends.toml with A's form on the stretch from $100 of the
    table where A keeps its preferred raised by $1 (101 instead of 100). The stretch is unbounded, so
    its inside point is 100 + 1 = 101: A 100 + 1 = 101 and the common 101 - 100 = 1, $102 against
    the exit value $101; the finding is located at the tier (no costs or carve-out), its clause 4.B.2.
    The table as built adds up: no finding."""
    from charterverify.properties import conservation
    from charterverify.rational import fast_rational
    from propsupport import variant

    m, an = variant(PROPS / "base-dividends.toml")
    t = an.tables.table[(False,)]
    j = 1
    a, b = t.forms[j]["A"]
    t.forms[j] = {**t.forms[j], "A": (a + fast_rational(1), b)}
    [f] = conservation.check(m, an)
    assert (f.message, f.line, f.clause, f.witness) == (
        "At an exit value of $101 the payouts add up to $102, not $101 (the exit value) when nobody converts",
        _line(DIVIDENDS, "[[tiers]]"), "4.B.2",
        {"exit_value": "101", "total": "102", "expected": "101", "converted": [], "method": "exact tables"})
    assert conservation.check(*analysed(DIVIDENDS)) == []


def test_profile_forms_of_three_stretches():
    """base.profile_forms 51 (`xs[j - 1]` for the next stretch's start: with two stretches xs[-1] is
    the same point): tests/charters/good/priority_after.toml, nobody converting: Series Y (senior,
    100 x $10) takes min(E, 1000), Series X (junior, 1000 x $1) the next $1,000, the common (1,000
    shares) the rest: stretches (0, 1000), (1000, 2000), from 2000."""
    from propsupport import GOOD

    model, an = analysed(str(GOOD / "priority_after.toml"))
    z = (F(0), F(0))
    assert base.profile_forms(model, an, (False,), F(0), None) == [
        (0, 1000, {"Y": (F(0), F(1)), "X": z, COMMON: z}),
        (1000, 2000, {"Y": (F(1000), F(0)), "X": (F(-1000), F(1)), COMMON: z}),
        (2000, None, {"Y": (F(1000), F(0)), "X": (F(1000), F(0)), COMMON: (F(-2000), F(1))}),
    ]


def test_conservation_skips_a_profile_the_bounds_ruled_out():
    """conservation._tables_proof 2 (`bound_ruled_out(None)`: no profile skipped), 3 (`break` at the
    first profile skipped: the later ones never added up). base-dividends.toml with the table of A
    keeping its preferred left unbuilt (`tables._Unbuilt`, as the interval bounds leave a profile that
    is an equilibrium nowhere) and wrong if it were built (A $1 too much from $100), and the table of
    A converting wrong from $1: A 1/2 + E/2 raised by $1. The unbuilt one is not added up; the other
    is: its second stretch (from $1, unbounded) is probed at 1 + 1 = 2: A 1/2 + 1 + 1 = 5/2 and the
    common -1/2 + 1 = 1/2: $3 against the exit value $2, when Series A converts."""
    from charterverify.properties import conservation
    from charterverify.rational import fast_rational
    from charterverify.tables import _Unbuilt
    from propsupport import variant

    m, an = variant(PROPS / "base-dividends.toml")
    tb = an.tables
    assert list(tb.profiles) == [(False,), (True,)]
    for prof in tb.profiles:
        t = tb.table[prof]
        a, b = t.forms[1]["A"]
        t.forms[1] = {**t.forms[1], "A": (a + fast_rational(1), b)}
    kept = tb.table[(False,)]
    tb.table[(False,)] = _Unbuilt(lambda: kept, m, an.units, (False,))
    assert tb.bound_ruled_out((False,)) and not tb.bound_ruled_out((True,))
    [f] = conservation._tables_proof(m, an)
    assert (f.message, f.witness) == (
        "At an exit value of $2 the payouts add up to $3, not $2 (the exit value) when Series A converts",
        {"exit_value": "2", "total": "3", "expected": "2", "converted": ["A"], "method": "exact tables"})

"""conservation's three proofs on a charter with exercise cash and transaction costs, written for
the mutation run over charterverify/properties/ (docs/testing.md).

The charter is tests/charters/properties/pool_costs.toml: Series A 100 shares with a $1
preference (no conversion), 100 common shares, 100 options at $2 buying common, $50 of
transaction costs. Worked by hand (E the exit value):

- below $50 the costs take everything: every payout 0;
- $50 to $150: A takes E - 50; from $150 A has its $100 and the common takes E - 150;
- above $350 the pool exercises: the proceeds are E + 200 - 50, A takes 100, the common and
  the pool (100 shares each) share E + 50 half each, so the common gets 25 + E/2 and the pool,
  net of its $200, E/2 - 175 (positive above 350: at 350 it is indifferent and does not act).

What the holders share is max(E + X - 50, 0) - X, X the exercise cash of the profile
($200 exercised, 0 not): E - 50 above $50 either way.

The seed charters have no pool and no costs, and the z3 proof (GameEncoding) was only run on
tests/charters/good/capped.toml, so every mutant of its X, costs and `expected` terms survived;
its refutation branch cannot be reached from a valid charter (the encoding conserves by
construction), so it is driven here by an encoding that pays the common $1 too much.
"""

from __future__ import annotations

import copy
from fractions import Fraction as F

import pytest
import z3

from charterverify.encodings import Q
from charterverify.evaluate import choice_of, waterfall
from charterverify.findings import Severity, Verdict
from charterverify.model import COMMON
from charterverify.properties import conservation
from charterverify.properties.base import money

from propsupport import GOOD, PROPS, analysed

POOL_COSTS = str(PROPS / "pool_costs.toml")
SCENARIO_LINE = 46  # `[scenario]` in pool_costs.toml: a refutation points at the costs


def _copy(z3_path: bool = True):
    model, an = analysed(POOL_COSTS)
    an2 = copy.deepcopy(an)
    an2.model = model
    if z3_path:
        an2.tables = None  # as for a charter with too many units for the tables: z3 decides
    return model, an2


def test_the_sweep_matches_the_hand_worked_payouts():
    model, an = analysed(POOL_COSTS)
    assert [(s.lo, s.hi, s.profile) for s in an.segments] == [
        (0, 50, (False,)), (50, 150, (False,)), (150, 350, (False,)), (350, None, (True,))]
    last = an.segments[-1].forms
    assert (last["A"], last[COMMON], last["pool"]) == ((100, 0), (25, F(1, 2)), (-175, F(1, 2)))
    assert an.points[F(350)].payouts == {"A": 100, COMMON: 200, "pool": 0}


def test_every_proof_holds_with_exercise_cash_and_costs():
    """Kills, in `_z3_proof`: X without the pools' cash (`If(None, ...)`, `Q(1)` for the unexercised
    pool), `E + X + c`, `E - X - c`, `... + X` for `... - X`, `Q(1)` below the costs."""
    model, an = analysed(POOL_COSTS)
    assert an.tables is not None
    assert conservation.check(model, an) == []  # the exact tables of both profiles
    model, an = _copy()
    assert conservation.check(model, an) == []  # z3 over every equilibrium
    model, an = _copy()
    assert conservation._forms_proof(model, an) == []  # the reported pieces and points


class _OneDollarTooMuch(conservation.GameEncoding):
    """An encoding that pays the common $1 more than the waterfall whenever the pool exercises."""

    def __init__(self, model, tag="g", exit_value=None):
        super().__init__(model, tag, exit_value)
        self.pay = dict(self.pay)
        self.pay[COMMON] = self.pay[COMMON] + z3.If(self.acts["pool"], Q(1), Q(0))


def test_z3_refutes_an_encoding_that_does_not_add_up(monkeypatch):
    """Kills every mutant of `_z3_proof`'s refutation (the model read back, E, the profile, the
    total, the expected amount through `expected_total` and `tables.exercise_cash`), `_refuted`'s message,
    clause and line for a charter with costs, and `expected_total`'s `+ exercise`, `+ costs`."""
    monkeypatch.setattr(conservation, "GameEncoding", _OneDollarTooMuch)
    model, an = _copy()
    [f] = conservation.check(model, an)
    assert (f.rule, f.severity, f.verdict, f.line, f.clause) == (
        "conservation", Severity.ERROR, Verdict.REFUTED, SCENARIO_LINE, "4.B.1")
    w = f.witness
    E = F(w["exit_value"])
    # the counterexample needs the pool exercised, so an equilibrium of the (unaltered) game above $350
    assert E > 350 and w["converted"] == ["pool"]
    expected = max(E + 200 - 50, F(0)) - 200
    assert expected == E - 50 == sum(waterfall(model, E, choice_of(model.units(), (True,))).values())
    assert (F(w["expected"]), F(w["total"]), w["method"]) == (expected, expected + 1, "z3")
    assert f.message == (f"At an exit value of {money(E)} the payouts add up to {money(expected + 1)}, "
                         f"not {money(expected)} (the exit value less $50 of transaction costs) when "
                         "option pool pool is exercised")


def test_the_piece_forms_are_probed_on_both_sides_of_the_costs():
    """A sweep that missed the kink at the costs: one piece (0, 150) with A = E - 50 throughout.
    Its two ordinary probes, $100 and $110, add up (A 50 and 60); the probe below the costs, $10
    (the roundest point of (0, 50)), gives -40 where the holders share 0.
    Kills the kink probes of `_forms_proof` (`or` for `and`, `<=`, the probes replaced or dropped,
    `simplest_between(None, ...)`) and `_refuted`'s wording of the costs."""
    model, an = _copy()
    an.segments = an.segments[1:]
    an.segments[0].lo = F(0)
    [f] = conservation.check(model, an, rlimit=1)  # z3 gives up at once: the forms decide
    assert f.witness == {"exit_value": "10", "total": "-40", "expected": "0", "converted": [],
                         "method": "piece forms"}
    assert f.message == ("At an exit value of $10 the payouts add up to -$40, not $0 "
                         "(the exit value less $50 of transaction costs) when nobody converts")
    assert f.line == SCENARIO_LINE


def test_an_unbounded_piece_that_starts_below_the_costs():
    """A sweep whose last piece starts at $45, below the costs, with A = E - 50 throughout: its
    probes $50 and $60 add up (0 and 10); the probe below the costs, $46, gives -4 where the
    holders share 0. Kills `kink < seg.hi` read on an unbounded piece (`seg.hi is not None or
    ...`: a TypeError) and the probes below the kink dropped."""
    model, an = _copy()
    first, second = an.segments[0], an.segments[1]
    first.hi, second.lo, second.hi = F(45), F(45), None
    an.segments = [first, second]
    [f] = conservation.check(model, an, rlimit=1)
    assert f.witness == {"exit_value": "46", "total": "-4", "expected": "0", "converted": [],
                         "method": "piece forms"}


def test_a_refutation_without_costs_names_no_costs():
    """tests/charters/good/capped.toml has no scenario: the message says only "the exit value" and
    the finding points at the first tier (line 46, `[[tiers]]` of series_a). Kills `_refuted`'s
    `if costs or True`, "XXXX" for the empty text, `key="scenario" ... or True` and the tier key."""
    model, an = analysed(str(GOOD / "capped.toml"))
    an = copy.deepcopy(an)
    an.model = model
    an.tables = None
    seg = next(s for s in an.segments if s.lo == 19000)
    a, b = seg.forms[COMMON]
    seg.forms[COMMON] = (a + 1, b)
    [f] = conservation.check(model, an, rlimit=1)
    assert f.message == ("At an exit value of $20,000 the payouts add up to $20,001, not $20,000 "
                         "(the exit value) when nobody converts")
    assert (f.line, f.clause) == (46, "4.B.1; 4.B.2")


def test_a_wrong_piece_where_the_pool_exercises():
    """The last piece pays the common $1 too much. Its first probe is $400 (the roundest point above
    $350): A 100, common 25 + 200 + 1, pool -175 + 200: 351, where the holders share
    max(400 + 200 - 50, 0) - 200 = 350. Kills `expected_total`'s `+ exercise` (750), `+ costs`
    (450), `E - exercise` (-50 + ... : 0 - 200)."""
    model, an = _copy()
    a, b = an.segments[-1].forms[COMMON]
    an.segments[-1].forms[COMMON] = (a + 1, b)
    [f] = conservation.check(model, an, rlimit=1)
    assert f.witness == {"exit_value": "400", "total": "351", "expected": "350", "converted": ["pool"],
                         "method": "piece forms"}
    assert f.message.endswith("when option pool pool is exercised")


def test_a_wrong_breakpoint_payout():
    """At the breakpoint $150 the common is paid $1 (it should get 0: A has just its $100).
    Kills the `exact point` refutation of `_forms_proof` (its arguments, `out.append(None)`)."""
    model, an = _copy()
    an.points[F(150)].payouts[COMMON] += 1
    [f] = conservation.check(model, an, rlimit=1)
    assert f.witness == {"exit_value": "150", "total": "101", "expected": "100", "converted": [],
                         "method": "exact point"}
    assert f.message == ("At an exit value of $150 the payouts add up to $101, not $100 "
                         "(the exit value less $50 of transaction costs) when nobody converts")


@pytest.mark.parametrize("E, X, want", [(10, 0, 0), (50, 0, 0), (400, 200, 350), (30, 200, -20)])
def test_expected_total(E, X, want):
    """max(E + X - 50, 0) - X: at $30 with the pool's $200 paid in the proceeds are $180 and the
    holders, net of the $200, share -$20."""
    model, _ = analysed(POOL_COSTS)
    assert conservation.expected_total(model, F(E), F(X)) == want

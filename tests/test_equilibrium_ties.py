"""Which equilibrium is reported when two tie: the rule checked independently of the product.

The rule (docs/charter-format.md, "The conversion game"): of all pure equilibria, report the
one with the fewest acting units; among equal counts, the one whose acting units come earliest
in model order. tests/test_differential.py checks it with `profile_key` from the module under
test, and its random charters never have two tied equilibria; here the selection is written
out again (`_reported`) and run on tests/charters/good/tied_equilibria.toml, which has two.

The charter (one tier, shortfall shared by OIP x shares; A and B: 100 shares each, OIP $2,
preference $6 a share = $600, converting 4:1 into 400 common; C: 1,000 shares, OIP and
preference $1 = $1,000, no conversion; common 100). Preferences total 2,200; OIP bases A 200,
B 200, C 1,000 (1,400). At an exit of 2,000 (a shortfall):

  nobody converts   the tier shares 2,000 by OIP: A = B = 2,000 x 200 / 1,400 = 2,000/7 (~285.71)
  A alone converts  B and C are paid in full (1,600 <= 2,000); the other 400 goes to common 100
                    and A's 400: A = 320, common = 80; B = 600, C = 1,000
  B alone converts  the mirror image: B = 320, A = 600
  both convert      C is paid 1,000; 1,000 is shared by 100 + 400 + 400: A = B = 4,000/9 (~444.44)

A converts from nobody (320 > 2,000/7), and with B converted A keeps (600 > 4,000/9): so
"A alone" and "B alone" are both equilibria, one acting unit each, and nobody / both are not.
The rule reports "A alone" (A comes first in the model). The tie holds for exit values in
(1,280 x 35/23, 2,200) = (~1,947.83, 2,200): A alone pays A 0.8 x (E - 1,600) > E/7 above
1,947.83, and at 2,200 the tier is no longer short.

Mutation that kills it (run): `profile_key`'s tie-break reversed in game.py
(`tuple(not a for a in profile)` -> `tuple(a for a in profile)`): B is reported.
"""

from __future__ import annotations

from fractions import Fraction as F
from itertools import product
from pathlib import Path

import pytest

from charterverify.evaluate import choice_of, evaluate_exit, waterfall
from charterverify.model import load_model
from charterverify.solver import solve_exit

CHARTER = Path(__file__).resolve().parent / "charters" / "good" / "tied_equilibria.toml"


@pytest.fixture(scope="module")
def model():
    return load_model(CHARTER)


def _equilibria(model, E):
    """Every pure equilibrium, from the waterfall of each profile: a unit acts only if strictly
    better off than keeping, and keeps unless acting is strictly better."""
    units = model.units()
    pay = {pr: waterfall(model, E, choice_of(units, pr)) for pr in product((False, True), repeat=len(units))}
    out = []
    for pr, base in pay.items():
        stable = True
        for i, u in enumerate(units):
            other = pay[pr[:i] + (not pr[i],) + pr[i + 1:]]
            mine, alt = sum(base[m] for m in u.members), sum(other[m] for m in u.members)
            if (pr[i] and not mine > alt) or (not pr[i] and alt > mine):
                stable = False
        if stable:
            out.append(pr)
    return out


def _reported(profiles):
    """Fewest acting units; then the acting units' positions in model order, earliest first."""
    return min(profiles, key=lambda pr: (sum(pr), [i for i, a in enumerate(pr) if a]))


def test_the_model(model):
    assert [u.id for u in model.units()] == ["A", "B"]
    assert [(s.id, s.ratio) for s in model.series] == [("A", 4), ("B", 4), ("C", 0)]


def test_two_tied_equilibria_by_hand(model):
    E = F(2000)
    units = model.units()
    assert waterfall(model, E, choice_of(units, (False, False)))["A"] == F(2000, 7)
    assert waterfall(model, E, choice_of(units, (True, True)))["A"] == F(4000, 9)
    assert _equilibria(model, E) == [(False, True), (True, False)]
    assert _reported(_equilibria(model, E)) == (True, False)


@pytest.mark.parametrize("run", [evaluate_exit, solve_exit], ids=["evaluate", "solver"])
def test_the_earliest_of_two_tied_equilibria_is_reported(model, run):
    r = run(model, F(2000))
    assert r.converted == ("A",)
    assert r.payouts == {"A": F(320), "B": F(600), "C": F(1000), "common": F(80)}
    assert r.equilibria == 2
    assert r.unique_payouts is False
    assert set(r.all_equilibria) == {("A",), ("B",)}


@pytest.mark.parametrize("E", [F(1948), F(2100), F("2199.99")])
def test_the_rule_across_the_tie(model, E):
    eqs = _equilibria(model, E)
    assert len(eqs) == 2 and {sum(pr) for pr in eqs} == {1}
    expected = _reported(eqs)
    r = evaluate_exit(model, E)
    assert r.converted == tuple(s for s, a in zip(("A", "B"), expected) if a) == ("A",)
    # A alone: B and C in full, A gets 400/500 of E - 1,600
    assert r.payouts == {"A": F(4, 5) * (E - 1600), "B": F(600), "C": F(1000), "common": F(1, 5) * (E - 1600)}


@pytest.mark.parametrize("E, profiles", [(F(1947), [(False, False)]), (F(2200), [(False, False)]),
                                         (F(2500), [(True, True)])])
def test_no_tie_outside_the_range(model, E, profiles):
    assert _equilibria(model, E) == profiles
    assert evaluate_exit(model, E).equilibria == 1


def test_the_analysis_reports_a_on_the_whole_tied_piece(model):
    from charterverify.solver.breakpoints import analyze

    an = analyze(model)
    x = F(1280 * 35, 23)
    piece = an.piece_at(F(2000))
    assert (piece.lo, piece.hi) == (x, F(2200))
    assert piece.profile == (True, False)
    assert set(piece.profiles) == {(True, False), (False, True)}

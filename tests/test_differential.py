"""Differential and property tests: the z3 path against the direct exact evaluator.

* random charters (tests/strategies.py) at random exact exit values: both paths give
  the same `ExitResult` (payouts of every holder, converted series, exercised pools,
  number of equilibria, unique_payouts, every equilibrium found); the z3 game
  encoding's own equilibrium search (`PointSolver.search_equilibria`) finds exactly the
  evaluator's equilibria with the same payouts (`solve_exit` itself enumerates profiles
  with the direct evaluator when there are few units); and both agree on the waterfall
  of every strategy profile, not only the equilibria;
* exit values: 0, small, around each tier's cumulative preferences, large, and exact
  kinks / indifference points of some profile's waterfall (tests/strategies.py);
* conservation: payouts (carve-out included, pools net of their exercise price) sum to
  max(0, E - transaction costs) exactly in the reported outcome, and every profile's
  waterfall distributes exactly max(0, E + exercise cash - costs);
* non-negativity: every holder gets >= 0; an exercised pool gets strictly more than 0
  net (a pool exercises only when strictly better off), an unexercised one exactly 0;
* the reported profile is an equilibrium, recomputed here from `waterfall`,
  `choice_of` and `unit_payoff`: no unit gains strictly by switching alone, a unit
  acts only when strictly better off (ties keep the preferred), the count of
  equilibria is right and the reported one acts least (model order breaks ties);
* hand-worked regression cases for each feature (payouts computed in the comments).

Deterministic: `derandomize=True`, no example database. Set CV_DIFF_SCALE=10 (say)
for a deeper run, and CV_DIFF_RANDOM=1 for fresh random examples.
"""

from __future__ import annotations

import os
from fractions import Fraction
from itertools import product

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from charterverify.evaluate import ExitResult, choice_of, equilibria, evaluate_exit, waterfall
from charterverify.game import profile_key, unit_payoff
from charterverify.model import CARVE_OUT, Charter, loads_model
from charterverify.solver import solve_exit
from charterverify.solver.point import PointSolver

from strategies import MAX_UNITS, any_exit_values, charters

F = Fraction

SCALE = int(os.environ.get("CV_DIFF_SCALE", "1"))
RANDOM = os.environ.get("CV_DIFF_RANDOM") == "1"


def fuzz(n: int) -> settings:
    return settings(
        max_examples=n * SCALE,
        deadline=None,
        derandomize=not RANDOM,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


# ------------------------------------------------------------------ helpers


def pools_of(model: Charter) -> set[str]:
    return {p.id for p in model.captable.options}


def exercise_cash(model: Charter, exercised) -> Fraction:
    return sum((p.count * p.exercise_price for p in model.captable.options if p.id in exercised), F(0))


def profile_of(model: Charter, res: ExitResult) -> tuple[bool, ...]:
    """The acting units of a reported result, checked to be consistent with its fields."""
    units = model.units()
    profile = tuple(
        (u.id in res.exercised) if u.kind == "option" else all(m in res.converted for m in u.members) for u in units
    )
    ch = choice_of(units, profile)
    assert set(res.converted) == ch.converted, "converted series do not form whole deciding units"
    assert set(res.exercised) == ch.exercised
    # report order is model order
    assert list(res.converted) == [s.id for s in model.series if s.id in ch.converted]
    assert list(res.exercised) == [p.id for p in model.captable.options if p.id in ch.exercised]
    return profile


def all_equilibria(model: Charter, E: Fraction) -> list[tuple[tuple[bool, ...], dict]]:
    """Every pure equilibrium, recomputed from waterfall / choice_of / unit_payoff."""
    units = model.units()
    pays = {pr: waterfall(model, E, choice_of(units, pr)) for pr in product((False, True), repeat=len(units))}
    out = []
    for pr, base in pays.items():
        ok = True
        for i, u in enumerate(units):
            dev = pr[:i] + (not pr[i],) + pr[i + 1:]
            mine, other = unit_payoff(model, u, base), unit_payoff(model, u, pays[dev])
            if pr[i] and not mine > other:  # acts only when strictly better off
                ok = False
            if not pr[i] and other > mine:  # no strictly profitable switch to acting
                ok = False
        if ok:
            out.append((pr, base))
    return out


def _vote_carried(model: Charter, groups, yes) -> bool:
    """A conversion vote (automatic_conversion.vote groups) carried by the series in `yes`, by shares."""
    for g in groups:
        for cls in ([(s,) for s in g.series] if g.separately else [g.series]):
            total = sum(model.outstanding(s) for s in cls)
            got = sum(model.outstanding(s) for s in cls if s in yes)
            if total and not (got > g.threshold * total or (not g.strict and got == g.threshold * total)):
                return False
    return True


def check_vote(model: Charter, res: ExitResult, eqs) -> bool:
    """With the reading votes_in_sale: the vote move recomputed by hand. Returns True when the result
    is a forced one (checked here), False when the game's equilibria stand (no vote forces)."""
    units = model.units()
    E = res.exit_value
    base = min(eqs, key=lambda pe: profile_key(pe[0]))[0] if eqs else tuple(False for _ in units)
    now = waterfall(model, E, choice_of(units, base))
    entries = [a for a in model.automatic_conversions if a.vote_groups]
    votes: dict = {}
    for a in entries:
        votes.setdefault(a.vote_groups, set()).update(a.series)
    for groups, conv in votes.items():
        voters = {s for g in groups for s in g.series}
        conv = {s for s in conv if model.get_series(s).conversion is not None}
        if not conv or any(u.kind != "option" and voters | conv <= set(u.members) for u in units):
            continue  # the unit's own holders voting to convert it: no move beyond its own choice
        fixed = [i for i, u in enumerate(units) if u.kind != "option" and u.members and set(u.members) <= conv]
        free = [i for i in range(len(units)) if i not in fixed]
        outcome = None
        for pr in sorted((p for p in product((False, True), repeat=len(units)) if all(p[i] for i in fixed)),
                         key=profile_key):
            here = waterfall(model, E, choice_of(units, pr))
            ok = True
            for i in free:
                dev = pr[:i] + (not pr[i],) + pr[i + 1:]
                mine, other = unit_payoff(model, units[i], here), unit_payoff(model, units[i], waterfall(model, E, choice_of(units, dev)))
                if (pr[i] and not mine > other) or (not pr[i] and other > mine):
                    ok = False
            if ok:
                outcome = pr
                break
        if outcome is None:
            outcome = tuple(True if i in fixed else a for i, a in enumerate(base))
        if outcome == base:
            continue
        then = waterfall(model, E, choice_of(units, outcome))
        gainers = {s for s in voters if then[s] > now[s]}
        if gainers and _vote_carried(model, groups, gainers):
            assert res.forced is not None and set(res.forced["coalition"]) == gainers
            assert profile_of(model, res) == outcome and res.equilibria == 1
            assert res.payouts == {h: F(then[h]) for h in model.holders}
            return True
    assert res.forced is None
    return False


def check_equilibrium(model: Charter, res: ExitResult) -> None:
    """The reported result is the fewest-action equilibrium, and the count is right (or, with the
    reading votes_in_sale, the outcome of the conversion vote taken before the sale)."""
    units = model.units()
    E = res.exit_value
    profile = profile_of(model, res)
    base = waterfall(model, E, choice_of(units, profile))
    assert {h: F(base[h]) for h in model.holders} == res.payouts
    eqs = all_equilibria(model, E)
    if model.readings.votes_in_sale and check_vote(model, res, eqs):
        return
    assert res.forced is None
    assert res.equilibria == len(eqs)
    assert set(res.all_equilibria) == {tuple(u.id for u, a in zip(units, pr) if a) for pr, _ in eqs}
    if not eqs:
        assert not any(profile), "with no equilibrium the all-keep profile is reported"
        return
    assert profile in {pr for pr, _ in eqs}
    assert profile_key(profile) == min(profile_key(pr) for pr, _ in eqs), "not the fewest-action equilibrium"
    assert res.unique_payouts == all(p == eqs[0][1] for _, p in eqs)
    # the defining inequalities, unit by unit, spelled out once more
    for i, u in enumerate(units):
        dev = profile[:i] + (not profile[i],) + profile[i + 1:]
        mine = unit_payoff(model, u, res.payouts)
        other = unit_payoff(model, u, waterfall(model, E, choice_of(units, dev)))
        if profile[i]:
            assert mine > other, f"{u.id} acts without being strictly better off ({mine} vs {other})"
        else:
            assert mine >= other, f"{u.id} would gain {other - mine} by acting"


def check_conservation(model: Charter, res: ExitResult) -> None:
    costs = model.scenario.transaction_costs
    assert sum(res.payouts.values(), F(0)) == max(F(0), res.exit_value - costs)
    if model.common_classes:  # the classes of common share the common's payout, equally per share
        assert sum(res.common_classes.values(), F(0)) == res.payouts["common"]
        per = {res.common_classes[c.id] / c.outstanding for c in model.common_classes}
        assert len(per) == 1
    else:
        assert res.common_classes == {}
    if not model.scenario.has_carve_out:
        assert CARVE_OUT not in res.payouts


def check_signs(model: Charter, res: ExitResult) -> None:
    pools = pools_of(model)
    for h, v in res.payouts.items():
        if h in pools:
            if h in res.exercised and res.forced is not None and v <= 0:
                # after a conversion vote a pool plays the rest of the game: exercised only when that
                # pays (or, with no equilibrium of the rest, as before the vote)
                continue
            if h in res.exercised:
                assert v > 0, f"pool {h} exercised at a net payout of {v}"
            else:
                assert v == 0, f"unexercised pool {h} paid {v}"
        else:
            assert v >= 0, f"{h} paid {v}"


def z3_search(ps: PointSolver, E: Fraction):
    search = getattr(ps, "search_equilibria", None) or ps.equilibria
    return [(pr, dict(pay)) for pr, pay in search(E)]


def direct_search(model: Charter, E: Fraction):
    return [(pr, {h: F(pay[h]) for h in model.holders}) for pr, pay in equilibria(model, E)]


def fields(r: ExitResult):
    return (r.exit_value, r.payouts, r.converted, r.exercised, r.equilibria, r.unique_payouts, set(r.all_equilibria),
            r.common_classes)


# ------------------------------------------------------------------ random charters, both paths


@fuzz(80)
@given(charters(), st.data())
def test_solver_matches_evaluator(tm, data):
    text, model = tm
    assert len(model.units()) <= MAX_UNITS
    Es = [data.draw(any_exit_values(model), label=f"E{i}") for i in range(4)]
    ps = PointSolver(model)
    for E in Es:
        direct = evaluate_exit(model, E)
        z3res = solve_exit(model, E)
        assert fields(z3res) == fields(direct), f"paths disagree at E={E}\n{text}"
        check_conservation(model, z3res)
        check_signs(model, z3res)
        check_equilibrium(model, z3res)
        # `solve_exit` takes the list of equilibria from the direct enumeration when there
        # are few units (z3 then gives each one's payouts); the z3 game encoding itself
        # (equilibrium condition, tie rule) is compared here through the solver's own search.
        assert z3_search(ps, E) == direct_search(model, E), f"equilibrium search differs at E={E}\n{text}"


@fuzz(60)
@given(charters(), st.data())
def test_solver_waterfall_matches_every_profile(tm, data):
    """Beyond the equilibria: the z3 waterfall equals `waterfall` for every strategy profile."""
    text, model = tm
    E = data.draw(any_exit_values(model), label="E")
    units = model.units()
    ps = PointSolver(model)
    for pr in product((False, True), repeat=len(units)):
        direct = waterfall(model, E, choice_of(units, pr))
        assert ps.payouts_for(E, pr) == {h: F(direct[h]) for h in model.holders}, f"profile {pr} at E={E}\n{text}"


# ------------------------------------------------------------------ properties, direct evaluator (fast)


@fuzz(250)
@given(charters(), st.data())
def test_evaluator_properties(tm, data):
    text, model = tm
    for i in range(3):
        E = data.draw(any_exit_values(model), label=f"E{i}")
        res = evaluate_exit(model, E)
        check_conservation(model, res)
        check_signs(model, res)
        check_equilibrium(model, res)


@fuzz(150)
@given(charters(), st.data())
def test_waterfall_conserves_every_profile(tm, data):
    """Any profile distributes exactly max(0, E + exercise cash - costs); only pools go negative."""
    text, model = tm
    E = data.draw(any_exit_values(model), label="E")
    units = model.units()
    costs = model.scenario.transaction_costs
    for pr in product((False, True), repeat=len(units)):
        ch = choice_of(units, pr)
        pay = waterfall(model, E, ch)
        X = exercise_cash(model, ch.exercised)
        assert sum(pay.values(), F(0)) == max(F(0), E + X - costs) - X
        cost_of = {p.id: p.count * p.exercise_price for p in model.captable.options}
        for h, v in pay.items():
            if h not in cost_of:
                assert v >= 0
            elif h not in ch.exercised:
                assert v == 0
            else:
                assert v >= -cost_of[h]


FEATURES = {
    "class vote": lambda m: bool(m.class_votes),
    "class vote without controller": lambda m: any(u.kind == "class_vote" and u.controller is None for u in m.units()),
    "class vote with controller": lambda m: any(u.kind == "class_vote" and u.controller for u in m.units()),
    "pool buying a series": lambda m: any(p.buys != "common" for p in m.captable.options),
    "capped + first_cap_ends": lambda m: m.readings.cap_dropout == "first_cap_ends"
    and sum(s.participation.kind == "capped" for s in m.series) >= 1
    and sum(s.participates for s in m.series) >= 2,
    "cash + after_preferences": lambda m: m.readings.cash_on_conversion == "after_preferences"
    and any(s.conversion and s.conversion.cash_per_share for s in m.series),
    "three tiers": lambda m: len(m.tiers) == 3,
    "carve-out + costs": lambda m: m.scenario.has_carve_out and bool(m.scenario.transaction_costs),
    "five units": lambda m: len(m.units()) == 5,
    "dividends": lambda m: any(m.dividends(s.id) for s in m.series),
    "preference differs from OIP": lambda m: any(s.preference and s.preference.per_share != s.original_issue_price
                                                 for s in m.series),
    # issue 13 §2 terms
    "accruing dividends": lambda m: bool(m.accrued),
    "compounding dividends": lambda m: any(s.dividend and s.dividend.compounding != "simple" and m.accrued.get(s.id)
                                           for s in m.series),
    "capped dividends": lambda m: any(s.dividend and s.dividend.cap is not None and m.accrued.get(s.id) == s.dividend.cap
                                      for s in m.series),
    "dividends outside the preference": lambda m: any(s.dividend and not s.dividend.in_preference for s in m.series),
    "preference multiple": lambda m: any(s.preference and s.preference.multiple for s in m.series),
    "greater of as-converted": lambda m: any(s.preference and s.preference.greater_of_as_converted for s in m.series),
    "greater of beside another tier member": lambda m: any(
        len(t.series) > 1 and any(m.get_series(x).preference and m.get_series(x).preference.greater_of_as_converted
                                  for x in t.series) for t in m.tiers),
    "greater of + capped participation": lambda m: any(
        s.preference and s.preference.greater_of_as_converted and s.participation.kind == "capped" for s in m.series),
    "greater of + capped + first_cap_ends": lambda m: m.readings.cap_dropout == "first_cap_ends" and any(
        s.preference and s.preference.greater_of_as_converted and s.participation.kind == "capped" for s in m.series),
    "aggregate tier cap": lambda m: any(t.cap is not None for t in m.tiers),
    "binding tier cap": lambda m: any(t.cap is not None and t.cap < sum(
        ((m.get_series(x).preference_per_share + m.dividends(x)) * m.outstanding(x) for x in t.series), F(0))
        for t in m.tiers),
    "catch-up": lambda m: m.catch_up is not None,
    "classes of common": lambda m: len(m.common_classes) >= 2,
    "redemption paid first": lambda m: any(s.id.endswith(".redeemed") for s in m.series),
    "redemption in instalments": lambda m: any(s.id.endswith(".redeemed") for s in m.series)
    and any(r.instalments > 1 for r in m.redemptions)
    and any(m.outstanding(s.id[:-len(".redeemed")]) > 0 for s in m.series if s.id.endswith(".redeemed")),
    "catch-up + participation": lambda m: m.catch_up is not None and any(s.participates for s in m.series),
}


def test_strategy_reaches_every_feature():
    """The generator does produce every feature the differential tests are meant to cover."""
    seen: dict[str, int] = {f: 0 for f in FEATURES}

    @settings(max_examples=300, derandomize=True, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(charters())
    def collect(tm):
        for f, pred in FEATURES.items():
            seen[f] += bool(pred(tm[1]))

    collect()
    assert all(seen.values()), f"never generated: {[f for f, n in seen.items() if not n]}"


# ------------------------------------------------------------------ hand-worked regression cases


HEAD = 'format = 1\n[charter]\nid = "hand"\n'


def both(body: str, E) -> ExitResult:
    """Both paths at E; they must agree; the reported outcome must be a checked equilibrium."""
    model = loads_model(HEAD + body, "<hand>")
    direct = evaluate_exit(model, F(E))
    z3res = solve_exit(model, F(E))
    assert fields(z3res) == fields(direct)
    check_conservation(model, direct)
    check_signs(model, direct)
    check_equilibrium(model, direct)
    return direct


def expect(res: ExitResult, payouts: dict, converted=(), exercised=(), equilibria=1):
    assert res.payouts == {k: F(v) for k, v in payouts.items()}
    assert res.converted == tuple(converted)
    assert res.exercised == tuple(exercised)
    assert res.equilibria == equilibria


def series(sid, shares, oip, pref="oip", part=None, cap=None, price=None, cash=None):
    out = [f'[[series]]\nid = "{sid}"\ndesignated = {shares}\noriginal_issue_price = "{oip}"\nsource = "x"']
    if pref is not None:
        out.append("[series.preference]\nsource = \"x\"" + ("" if pref == "oip" else f'\nper_share = "{pref}"'))
    if part:
        out.append(f'[series.participation]\nkind = "{part}"\nsource = "x"' + (f'\ncap = "{cap}"' if cap else ""))
    if price:
        out.append(f'[series.conversion]\nprice = "{price}"\nsource = "x"' + (f'\ncash_per_share = "{cash}"' if cash else ""))
    return "\n".join(out) + "\n"


def tier(tid, members, shortfall="preference"):
    ms = ", ".join(f'"{m}"' for m in members)
    return f'[[tiers]]\nid = "{tid}"\nseries = [{ms}]\nshortfall = "{shortfall}"\nsource = "x"\n'


def captable(common, extra=""):
    return f"[captable]\ncommon_outstanding = {common}\n{extra}"


# Shortfall shared by shares: one tier, A 100 sh x $2 (full 200), B 300 sh x $1 (full 300),
# common 100, nobody converts. T = 500.
#   E = 200 < 500: by shares 100 : 300 -> A 50, B 150 (by preference it would be 80 / 120).
#   E = 500: both in full, common 0.   E = 600: common takes the last 100.
SHARES_BASIS = series("A", 100, "2") + series("B", 300, "1") + tier("t", ["A", "B"], "shares") + captable(100)


@pytest.mark.parametrize("E, pay", [
    (200, {"A": 50, "B": 150, "common": 0}),
    (500, {"A": 200, "B": 300, "common": 0}),
    (600, {"A": 200, "B": 300, "common": 100}),
])
def test_hand_shortfall_by_shares(E, pay):
    expect(both(SHARES_BASIS, E), pay)


# Shortfall by OIP with preferences differing from OIP: A 100 sh, OIP $1, LP $3 (full 300);
# B 100 sh, OIP $2, LP $1 (full 100). T = 400. At E = 200 < 400:
#   by OIP x shares 100 : 200 -> A 200/3, B 400/3;
#   by full preference 300 : 100 -> A 150, B 50 (same charter, shortfall = "preference").
OIP_BASIS = series("A", 100, "1", pref="3") + series("B", 100, "2", pref="1")


@pytest.mark.parametrize("basis, pay", [
    ("original_issue_price", {"A": F(200, 3), "B": F(400, 3), "common": 0}),
    ("preference", {"A": 150, "B": 50, "common": 0}),
])
def test_hand_shortfall_by_oip(basis, pay):
    expect(both(OIP_BASIS + tier("t", ["A", "B"], basis) + captable(100), 200), pay)


# Capped participation, both readings. One tier: A 100 sh, LP $1, capped at $2 (room 100),
# B 100 sh, LP $1, fully participating; neither converts; common 100. Prefs 200, then
# R = E - 200 is shared A : B : common = 1 : 1 : 1 (weights = shares, no conversion).
#   E = 350: R = 150, 50 each: A 150, B 150, common 50 (below the cap: readings agree).
#   E = 800: R = 600; A reaches its cap at level $1 per share (R = 300).
#     own_cap: A stops at 100, B and common share the other 500: A 200, B 350, common 250.
#     first_cap_ends: all preferred participation ends at level 1: A 200, B 200,
#     common 600 - 200 = 400.
CAPPED = series("A", 100, "1", part="capped", cap="2") + series("B", 100, "1", part="full") + tier("t", ["A", "B"])


@pytest.mark.parametrize("reading, E, pay", [
    ("own_cap", 350, {"A": 150, "B": 150, "common": 50}),
    ("first_cap_ends", 350, {"A": 150, "B": 150, "common": 50}),
    ("own_cap", 800, {"A": 200, "B": 350, "common": 250}),
    ("first_cap_ends", 800, {"A": 200, "B": 200, "common": 400}),
])
def test_hand_capped_participation(reading, E, pay):
    body = CAPPED + f'[readings]\ncap_dropout = "{reading}"\n' + captable(100)
    expect(both(body, E), pay)


# Capped and convertible (Valuestar shape, small): A 100 sh, OIP $1, LP $1, cap $3, converts
# at $0.50 (ratio 2 -> 200 as converted); common 200. Prefs 100; then A (200) : common (200)
# = 1 : 1 until A has 300 (room 200 -> R = 400, E = 500); flat at 300 until converting
# pays more: E / 2 > 300 -> E > 600.
#   E = 300: A 100 + 100 = 200, common 100.    E = 600: tie at 300, keeps: A 300, common 300.
#   E = 700: A converts: 350 / 350.
CAPPED_CONV = series("A", 100, "1", part="capped", cap="3", price="0.50") + tier("t", ["A"]) + captable(200)


@pytest.mark.parametrize("E, pay, conv", [
    (300, {"A": 200, "common": 100}, ()),
    (600, {"A": 300, "common": 300}, ()),
    (700, {"A": 350, "common": 350}, ("A",)),
])
def test_hand_capped_convertible(E, pay, conv):
    expect(both(CAPPED_CONV, E), pay, conv)


# Cash on conversion, both readings. A 100 sh, OIP $1, no preference, converts 1:1 with
# $1 cash per share (in no tier: keeping pays 0, so A converts whenever that pays > 0);
# B 100 sh, LP $2 (full 200), does not convert; common 100.
#   E = 150  before_preferences: cash 100 first, B gets the other 50: A 100, B 50 (A converts).
#            after_preferences: B takes all 150; nothing left for cash; A gets 0 either way,
#            keeps (tie): A 0, B 150.
#   E = 250  before: A 100, B 150.   after: B 200, cash 50 < 100 paid ratably: A 50 (converts).
#   E = 400  both: cash 100, B 200, residual 100 shared A 100 : common 100: A 150, B 200, common 50.
CASH = series("A", 100, "1", pref=None, price="1", cash="1") + series("B", 100, "2") + tier("t", ["B"])


@pytest.mark.parametrize("reading, E, pay, conv", [
    ("before_preferences", 150, {"A": 100, "B": 50, "common": 0}, ("A",)),
    ("after_preferences", 150, {"A": 0, "B": 150, "common": 0}, ()),
    ("before_preferences", 250, {"A": 100, "B": 150, "common": 0}, ("A",)),
    ("after_preferences", 250, {"A": 50, "B": 200, "common": 0}, ("A",)),
    ("before_preferences", 400, {"A": 150, "B": 200, "common": 50}, ("A",)),
    ("after_preferences", 400, {"A": 150, "B": 200, "common": 50}, ("A",)),
])
def test_hand_cash_on_conversion(reading, E, pay, conv):
    body = CASH + f'[readings]\ncash_on_conversion = "{reading}"\n' + captable(100)
    expect(both(body, E), pay, conv)


# Carve-out and transaction costs: costs 50, carve-out 20 + 10% of the proceeds after costs;
# A 100 sh, LP $1, no conversion; common 100.
#   E = 1000: N = 950, carve-out 20 + 95 = 115, A 100, common 735 (sum 950).
#   E = 100:  N = 50, carve-out 20 + 5 = 25, A the other 25, common 0.
#   E = 60:   N = 10 < 20 + 1: the carve-out takes all 10.
#   E = 40:   costs exceed the exit value: N = 0, everyone 0.
CARVE = series("A", 100, "1") + tier("t", ["A"]) + captable(100) + \
    '[scenario]\ntransaction_costs = "50"\ncarve_out = "20"\ncarve_out_percent = "0.1"\nsource = "x"\n'


@pytest.mark.parametrize("E, pay", [
    (1000, {"A": 100, "common": 735, "carve_out": 115}),
    (100, {"A": 25, "common": 0, "carve_out": 25}),
    (60, {"A": 0, "common": 0, "carve_out": 10}),
    (40, {"A": 0, "common": 0, "carve_out": 0}),
])
def test_hand_carve_out_and_costs(E, pay):
    expect(both(CARVE, E), pay)


# Option pool on common: 100 options at $2; A 100 sh, LP $1, no conversion; common 100.
# Exercising adds 200 to the proceeds and one more 100-share block of common:
# pool net = (E + 200 - 100) / 2 - 200 = (E - 300) / 2 > 0 iff E > 300.
#   E = 200: not exercised: A 100, common 100.
#   E = 300: tie (net 0): not exercised: A 100, common 200.
#   E = 700: exercised: A 100, common 400, pool 400 - 200 = 200.
POOL = series("A", 100, "1") + tier("t", ["A"]) + captable(100) + \
    '[[captable.options]]\nid = "pool"\ncount = 100\nexercise_price = "2"\nbuys = "common"\n'


@pytest.mark.parametrize("E, pay, exer", [
    (200, {"A": 100, "common": 100, "pool": 0}, ()),
    (300, {"A": 100, "common": 200, "pool": 0}, ()),
    (700, {"A": 100, "common": 400, "pool": 200}, ("pool",)),
])
def test_hand_option_pool_on_common(E, pay, exer):
    expect(both(POOL, E), pay, exercised=exer)


# Option pool on a preferred series: 100 options at $0.50 buying Series A (LP $1, in A's
# tier, shortfall by preference); A 100 sh; common 100. Exercised: proceeds E + 50, the
# tier's preferences are 200 (A 100 + pool 100).
#   E = 40:  exercised it would get 90 / 2 = 45 < 50: not exercised: A 40.
#   E = 50:  100 / 2 = 50, net 0: tie, not exercised: A 50.
#   E = 100: 150 / 2 = 75, net 25 > 0: exercised: A 75, pool 25, common 0.
#   E = 300: 350: A 100, pool 100 - 50 = 50, common 150.
POOL_PREF = series("A", 100, "1") + tier("t", ["A"]) + captable(100) + \
    '[[captable.options]]\nid = "pool"\ncount = 100\nexercise_price = "0.50"\nbuys = "A"\n'


@pytest.mark.parametrize("E, pay, exer", [
    (40, {"A": 40, "common": 0, "pool": 0}, ()),
    (50, {"A": 50, "common": 0, "pool": 0}, ()),
    (100, {"A": 75, "common": 0, "pool": 25}, ("pool",)),
    (300, {"A": 100, "common": 150, "pool": 50}, ("pool",)),
])
def test_hand_option_pool_on_series(E, pay, exer):
    expect(both(POOL_PREF, E), pay, exercised=exer)


# Class vote with a controller: A 300 sh (OIP = LP $1, converts 1:1), B 100 sh (OIP = LP $10,
# converts 1:1), one vote "1/2" strict: A holds 3/4 > 1/2 and decides alone. Common 100.
# Kept: prefs A 300, B 1000 (stack 1300). Converted (both): A 3/5 E, B 1/5 E, common 1/5 E.
# A's 3/5 E beats its kept payout (300/1300 E below the stack, 300 above) for every E > 0,
# so the group converts and B is outvoted.
#   E = 1000: A 600, B 200, common 200 (B would have had 1000 x 1000/1300 kept).
#   E = 0: all zero, tie: keeps.
VOTE_CTRL = series("A", 300, "1", price="1") + series("B", 100, "10", price="10") + tier("t", ["A", "B"]) + \
    '[[class_votes]]\nid = "AB"\nseries = ["A", "B"]\nthreshold = "1/2"\nstrict = true\nsource = "x"\n' + captable(100)


@pytest.mark.parametrize("E, pay, conv", [
    (1000, {"A": 600, "B": 200, "common": 200}, ("A", "B")),
    (0, {"A": 0, "B": 0, "common": 0}, ()),
])
def test_hand_class_vote_with_controller(E, pay, conv):
    model = loads_model(HEAD + VOTE_CTRL, "<hand>")
    assert [u.controller for u in model.units()] == ["A"]
    expect(both(VOTE_CTRL, E), pay, conv)


# Class vote without a controller: A 200 sh (OIP = LP $1), B 200 sh (OIP = LP $10), both 1:1,
# vote "1/2" strict: each holds exactly 1/2, neither more -> decided by the group total.
# Common 100. Kept: group gets min(E, 2200) (non-participating); converted: 4/5 E.
# Converts iff 4/5 E > min(E, 2200) -> E > 2750.
#   E = 2000: keeps; shortfall by preference 200 : 2000 -> A 2000/11, B 20000/11.
#   E = 2750: tie (2200 = 2200): keeps: A 200, B 2000, common 550.
#   E = 3000: converts: A 1200, B 1200, common 600.
VOTE_TOTAL = series("A", 200, "1", price="1") + series("B", 200, "10", price="10") + tier("t", ["A", "B"]) + \
    '[[class_votes]]\nid = "AB"\nseries = ["A", "B"]\nthreshold = "1/2"\nstrict = true\nsource = "x"\n' + captable(100)


@pytest.mark.parametrize("E, pay, conv", [
    (2000, {"A": F(2000, 11), "B": F(20000, 11), "common": 0}, ()),
    (2750, {"A": 200, "B": 2000, "common": 550}, ()),
    (3000, {"A": 1200, "B": 1200, "common": 600}, ("A", "B")),
])
def test_hand_class_vote_group_total(E, pay, conv):
    model = loads_model(HEAD + VOTE_TOTAL, "<hand>")
    assert [u.controller for u in model.units()] == [None]
    expect(both(VOTE_TOTAL, E), pay, conv)


# Same charter, strict = false: A and B each hold exactly 1/2, so each alone would carry the
# vote; no single series decides and the group total does (model.vote_controller), whatever
# the order of the list. At E = 2000: converting pays the group A 2/5 E + B 2/5 E = 800 + 800
# = 1600; keeping pays the whole 2000 (below the 2,200 stack, shared 200 : 2000), so the group
# keeps: A 2000/11, B 20000/11, common 0.
def test_hand_class_vote_non_strict_tie():
    body = VOTE_TOTAL.replace("strict = true", "strict = false")
    swapped = body.replace('series = ["A", "B"]\nthreshold', 'series = ["B", "A"]\nthreshold')
    assert swapped != body
    for text in (body, swapped):
        model = loads_model(HEAD + text, "<hand>")
        assert [u.controller for u in model.units()] == [None]
        expect(both(text, 2000), {"A": F(2000, 11), "B": F(20000, 11), "common": 0}, ())


# Non-participating with a conversion ratio != 1: A 100 sh, OIP = LP $2, converts at $1
# (ratio 2 -> 200 as converted); common 200. Converts iff E / 2 > 200 -> E > 400.
#   E = 300: A 200, common 100.  E = 400: tie, keeps: 200 / 200.  E = 1001/2: converts: 1001/4 each.
CONV = series("A", 100, "2", price="1") + tier("t", ["A"]) + captable(200)


@pytest.mark.parametrize("E, pay, conv", [
    (300, {"A": 200, "common": 100}, ()),
    (400, {"A": 200, "common": 200}, ()),
    (F(1001, 2), {"A": F(1001, 4), "common": F(1001, 4)}, ("A",)),
])
def test_hand_conversion_crossover(E, pay, conv):
    expect(both(CONV, E), pay, conv)


# Fully participating, convertible at ratio 2, dividends $0.50: A 100 sh, LP $2 + $0.50
# dividends = 250; then A (200 as converted) and common (200) split the rest. At E = 1050:
# A 250 + 400 = 650, common 400 (converting would give 525: keeps).
FULL = series("A", 100, "2", part="full", price="1") + tier("t", ["A"]) + \
    captable(200, '[captable.dividends]\nA = "0.50"\n')


def test_hand_full_participation_with_dividends():
    expect(both(FULL, 1050), {"A": 650, "common": 400})


# Seniority: A (senior, 100 sh x $1) before B (junior, 100 sh x $3); common 100; no conversion.
#   E = 250: A 100, B 150 (junior shortfall), common 0.
SENIOR = series("A", 100, "1") + series("B", 100, "3") + tier("s", ["A"]) + tier("j", ["B"]) + captable(100)


def test_hand_seniority():
    expect(both(SENIOR, 250), {"A": 100, "B": 150, "common": 0})

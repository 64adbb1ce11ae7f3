"""conservation: the payouts add up to the exit value less transaction costs, at every exit value.

Proofs, the first that applies decides:
0. With few deciding units the analysis carries the exact payout tables of every profile
   (`tables.Tables`): on every stretch between a profile's kinks its payouts are affine, so the
   sum of the slopes and the sum at one inside point are compared with the expected amount, and at
   every kink the exact payouts are added up. That covers every profile, equilibrium or not, at
   every exit value, in exact arithmetic, except a profile the interval bounds ruled out before its
   table was built (`Tables.bound_ruled_out`, large cap tables): it is an equilibrium at no exit
   value, so no payout the analysis reports comes from it, and building its table only to add it
   up would cost most of the run.
1. z3, over the symbolic exit value and every equilibrium of the conversion game at once
   (GameEncoding: base copy, deviation copies and the equilibrium condition), asks for an
   exit value where the payouts, carve-out included, do not sum to max(E + X − costs, 0) − X
   (X: exercise prices of the pools exercised, since pools are reported net of them).
   unsat proves the property for all exit values and every equilibrium.
2. If z3 gives up (its resource limit), the proved piece forms: on each piece the sum of the slopes must be 1 and
   the sum of the intercepts −costs (0 and 0 below the costs), and every breakpoint's exact
   payouts must add up. That proves the property for the reported equilibrium wherever the
   sweep proved its pieces; the rest is unknown.
A counterexample from either is refuted (error).
"""

from __future__ import annotations

from fractions import Fraction

import z3

from ..encodings import Q
from ..findings import Finding, Severity, Verdict
from ..model import Charter
from ..solver.breakpoints import Analysis
from ..solver.exact import value
from ..solver.game import GameEncoding
from ..solver.session import check as solver_check
from ..solver.session import new_solver
from ..tables import conservation_shortfall, exercise_cash
from .base import fx, make_finding, money, piece_value, profile_text, simplest_between, unproved_findings

RULE = "conservation"
DESCRIPTION = "payouts, carve-out included, sum to the exit value less transaction costs at every exit value"


def expected_total(model: Charter, E: Fraction, exercise: Fraction) -> Fraction:
    """What the holders share at exit value E (pools net of their exercise prices)."""
    return max(E + exercise - model.scenario.transaction_costs, Fraction(0)) - exercise


def _refuted(model, an, E, total, expected, profile, how) -> Finding:
    costs = model.scenario.transaction_costs
    less = f" less {money(costs)} of transaction costs" if costs else ""
    return make_finding(
        model, RULE, Severity.ERROR,
        f"At an exit value of {money(E)} the payouts add up to {money(total)}, not {money(expected)} "
        f"(the exit value{less}) when {profile_text(an.units, profile)}",
        clause=[t.source for t in model.tiers],
        key="scenario" if costs or model.scenario.has_carve_out else "tiers[0]",
        witness={"exit_value": fx(E), "total": fx(total), "expected": fx(expected),
                 "converted": [u.id for u, a in zip(an.units, profile) if a], "method": how},
    )


def _z3_proof(model: Charter, an: Analysis, rlimit: int | None):
    """('proved', None) | ('refuted', Finding) | ('unknown', reason)."""
    g = GameEncoding(model, tag="cons")
    s = new_solver(rlimit)
    s.add(*g.constraints())
    s.add(g.equilibrium)
    pools = model.captable.options
    X = z3.Sum([z3.If(g.acts[p.id], Q(p.count * p.exercise_price), Q(0)) for p in pools] + [Q(0)])
    c = Q(model.scenario.transaction_costs)
    P = g.E + X - c
    expected = z3.If(P >= 0, P, Q(0)) - X
    total = z3.Sum([g.pay[h] for h in model.holders])
    s.add(total != expected)
    out = solver_check(s)
    if out.status == "unsat":
        return "proved", None
    if out.status == "unknown":
        return "unknown", out.reason
    m = s.model()
    E = value(m, g.E)
    profile = tuple(z3.is_true(m.eval(g.acts[u.id], model_completion=True)) for u in g.units)
    tot = value(m, total)
    exp = expected_total(model, E, exercise_cash(model, an.units, profile))
    return "refuted", _refuted(model, an, E, tot, exp, profile, "z3")


def _forms_proof(model: Charter, an: Analysis) -> list[Finding]:
    """Counterexamples from the piece forms and the breakpoints' exact payouts."""
    out: list[Finding] = []
    holders = model.holders
    costs = model.scenario.transaction_costs
    for seg in an.segments:
        X = exercise_cash(model, an.units, seg.profile)
        kink = costs - X
        probes = [simplest_between(seg.lo, seg.hi)]
        probes.append(simplest_between(probes[0], seg.hi))
        if seg.lo < kink and (seg.hi is None or kink < seg.hi):
            probes += [simplest_between(seg.lo, kink), simplest_between(kink, seg.hi)]
        for E in probes:
            tot = sum(piece_value(seg, h, E) for h in holders)
            exp = expected_total(model, E, X)
            if tot != exp:
                out.append(_refuted(model, an, E, tot, exp, seg.profile, "piece forms"))
                break
    for x in sorted(an.points):
        pt = an.points[x]
        tot = sum(pt.payouts.values())
        exp = expected_total(model, x, exercise_cash(model, an.units, pt.profile))
        if tot != exp:
            out.append(_refuted(model, an, x, tot, exp, pt.profile, "exact point"))
    return out[:1] if out else out


def _tables_proof(model: Charter, an: Analysis) -> list[Finding]:
    """A counterexample from the exact tables of every profile that can be an equilibrium, or none
    (the property is proved)."""
    tb = an.tables
    for prof in tb.profiles:
        if tb.bound_ruled_out(prof):
            continue
        found = conservation_shortfall(model, an.units, prof, tb.table[prof])
        if found is not None:
            E, tot, exp = found
            return [_refuted(model, an, E, tot, exp, prof, "exact tables")]
    return []


def check(model: Charter, an: Analysis, rlimit: int | None = None) -> list[Finding]:
    if getattr(an, "tables", None) is not None:
        return _tables_proof(model, an)
    status, info = _z3_proof(model, an, rlimit)
    if status == "refuted":
        return [info]
    if status == "proved":
        return []
    forms = _forms_proof(model, an)
    if forms:
        return forms
    unknown = unproved_findings(model, an, RULE, "That the payouts add up to the exit value")
    return [Finding(f.rule, f.severity, f.message, f.clause, f.file, f.line, Verdict.UNKNOWN,
                    {**f.witness, "z3": info}) for f in unknown]

"""The 16-series synthetic charter that goes to the z3 sweep (14 deciding units), its full analysis
(every piece proved) worked out once for the whole session, and the checks a partial answer is held to:
shared by the `--budget` tests and the tests of a sweep whose z3 queries give up."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

from charterverify.report.coverage import coverage_json
from charterverify.solver.breakpoints import Sweep

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import synthetic  # noqa: E402

N = 16


@functools.lru_cache(maxsize=None)
def sweep_model():
    return synthetic.model(N)


@functools.lru_cache(maxsize=None)
def full_analysis():
    """The sweep with the default rlimit and no budget: every piece proved (the independent answer)."""
    return Sweep(sweep_model()).run()


def dump(an) -> str:
    return json.dumps({
        "coverage": coverage_json(an),
        "segments": [[str(s.lo), str(s.hi), [list(p) for p in s.profiles], s.proved, s.reason,
                      {h: [str(a), str(b)] for h, (a, b) in sorted(s.forms.items())}] for s in an.segments],
        "points": {str(x): [[list(q) for q in p.profiles], {h: str(v) for h, v in sorted(p.payouts.items())}]
                   for x, p in sorted(an.points.items())},
    }, sort_keys=True)


def check_cover(runs):
    """The runs partition [0, ∞): in order, each end shared by two neighbours belongs to exactly one."""
    assert runs[0]["from"] == 0 and runs[0]["from_included"]
    assert runs[-1]["to"] is None
    for a, b in zip(runs, runs[1:]):
        assert a["to"] == b["from"]
        assert a["to_included"] != b["from_included"]
        assert a["proved"] != b["proved"]  # maximal runs alternate


def agrees_with_full(part, full):
    """Every proved segment and point of the partial answer equals the full run there."""
    checked = 0
    for seg in part.segments:
        if not seg.proved:
            continue
        # the full run's segments inside this one: same equilibria, same payout functions
        inside = [s for s in full.segments if s.lo >= seg.lo and (seg.hi is None or (s.hi is not None and s.hi <= seg.hi))]
        assert inside, seg
        for s in inside:
            assert set(s.profiles) == set(seg.profiles)
            assert s.forms == seg.forms
            checked += 1
    bad = set(part.unproved_points)
    for x, pt in part.points.items():
        if x in bad:
            continue
        assert x in full.points, x
        assert full.points[x].payouts == pt.payouts and set(full.points[x].profiles) == set(pt.profiles)
        checked += 1
    return checked


def forced_sweep(model):
    """The breakpoint analysis with the exact tables turned off: the z3 sweep, whatever the size."""
    import charterverify.solver.breakpoints as bp

    old = bp.fits_tables
    bp.fits_tables = lambda m, limit=None: False
    try:
        return bp.analyze(model)
    finally:
        bp.fits_tables = old


def assert_sweep_equals_tables(an, tb, text=""):
    """Every point and every piece of a sweep has the tables' equilibria and payouts (the piece at
    its middle, or 1 past the start of the last one)."""
    for x, pt in an.points.items():
        assert pt.profiles == tb.equilibria_at(x), (text, x)
        if pt.profiles:
            assert pt.payouts == tb.payouts(pt.profiles[0], x), (text, x)
    for seg in an.segments:
        y = seg.lo + 1 if seg.hi is None else (seg.lo + seg.hi) / 2
        assert seg.profiles == tb.equilibria_at(y), (text, y)
        assert {h: seg.at(h, y) for h in seg.forms} == tb.payouts(seg.profile, y), (text, y)

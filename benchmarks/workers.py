"""Measurement workers, each run by benchmarks/run.py in its own process.

A worker appends one JSON object per line to --out as it goes ("t": seconds
since the worker started, after imports), so when run.py stops it at its time
budget (SIGKILL) the file still says how far it got. Run by hand for one
measurement, e.g.

    python benchmarks/workers.py analyze 20 --out /tmp/a.jsonl
    python benchmarks/workers.py brute 10 --grid 50 --budget 120 --out /tmp/b.jsonl
    python benchmarks/workers.py direct charters/quintus.toml --count 200 --out /tmp/d.jsonl
    python benchmarks/workers.py tables charters/quintus.toml --count 10000 --out /tmp/t.jsonl

Nothing here changes charterverify: the sweep is observed through a subclass, the
table build inside `evaluate_many` through a subclass of `tables.Tables` set in the
worker's own process, and z3 queries through a wrapper of the `check` the solver
modules imported.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

T0 = time.perf_counter()
_OUT = None


def emit(event: str, **data) -> None:
    data = {"event": event, "t": round(time.perf_counter() - T0, 4), "load": os.getloadavg()[0], **data}
    _OUT.write(json.dumps(data, default=str) + "\n")
    _OUT.flush()


def fx(x) -> str | None:
    return None if x is None else str(Fraction(x))


# ------------------------------------------------------------------ z3 query accounting


class Z3Stats:
    """Counts, time and unknown reasons of every z3 check the sweep makes."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0
        self.max_seconds = 0.0
        self.status: dict[str, int] = {}
        self.unknown_reasons: dict[str, int] = {}
        self.by_module: dict[str, list] = {}
        self.current: tuple[str, float] | None = None

    def wrap(self, module) -> None:
        inner = module.check
        name = module.__name__.rsplit(".", 1)[-1]

        def check(s, *assumptions):
            t = time.perf_counter()
            self.current = (name, t)
            out = inner(s, *assumptions)
            self.current = None
            dt = time.perf_counter() - t
            self.count += 1
            self.seconds += dt
            self.max_seconds = max(self.max_seconds, dt)
            self.status[out.status] = self.status.get(out.status, 0) + 1
            if out.status == "unknown":
                self.unknown_reasons[out.reason or "?"] = self.unknown_reasons.get(out.reason or "?", 0) + 1
            m = self.by_module.setdefault(name, [0, 0.0])
            m[0] += 1
            m[1] += dt
            if dt > 5:
                emit("slow_z3_query", module=name, seconds=round(dt, 2), status=out.status, reason=out.reason)
            return out

        module.check = check

    def snapshot(self) -> dict:
        return {"queries": self.count, "seconds": round(self.seconds, 3), "max_seconds": round(self.max_seconds, 3),
                "status": dict(self.status), "unknown_reasons": dict(self.unknown_reasons),
                "by_module": {k: [v[0], round(v[1], 3)] for k, v in self.by_module.items()}}


def _heartbeat(z: "Z3Stats", every: float = 20.0) -> None:
    """Every `every` seconds say how far the worker is, also while z3 is inside one long check
    (ctypes releases the GIL during the call)."""
    import threading

    def beat():
        while True:
            time.sleep(every)
            inq = None if z.current is None else round(time.perf_counter() - z.current[1], 1)
            emit("heartbeat", z3_queries_done=z.count, z3_seconds=round(z.seconds, 2),
                 in_query=None if z.current is None else z.current[0], in_query_seconds=inq)

    threading.Thread(target=beat, daemon=True).start()


def _model(args):
    if args.charter.endswith(".toml"):
        from charterverify.model import load_model

        return load_model(args.charter)
    import charterverify.model.load as cm  # the loader reads its own MAX_SERIES
    import synthetic

    n = int(args.charter)
    if getattr(args, "lift_limit", False) and n > cm.MAX_SERIES:
        emit("note", text=f"MAX_SERIES={cm.MAX_SERIES} lifted to {n} in this benchmark process only")
        cm.MAX_SERIES = n
    return synthetic.model(n, args.seed)


# ------------------------------------------------------------------ analyze


def run_analyze(args) -> None:
    import charterverify.solver.breakpoints as bp
    import charterverify.solver.dominance as dom
    import charterverify.solver.point as pt

    try:
        model = _model(args)
    except Exception as e:  # the loader's verdict is a result too
        emit("model_error", error=f"{type(e).__name__}: {e}")
        return
    units = model.units()
    emit("model", series=len(model.series), units=len(units), profiles=2 ** len(units))
    z = Z3Stats()
    for mod in (bp, dom, pt):
        z.wrap(mod)

    class TracedSweep(bp.Sweep):
        def _cover(self, a, b):
            t = time.perf_counter()
            seg, rest = super()._cover(a, b)
            self._n = getattr(self, "_n", 0) + 1
            emit("cover", n=self._n, seconds=round(time.perf_counter() - t, 3), a=fx(a), b=fx(b),
                 piece=None if seg is None else {"lo": fx(seg.lo), "hi": fx(seg.hi), "proved": seg.proved,
                                                 "reason": seg.reason},
                 z3=z.snapshot(), stats={k: round(v, 3) for k, v in self.stats.items()})
            return seg, rest

    _heartbeat(z)
    t = time.perf_counter()
    sw = TracedSweep(model)
    emit("sweep_ready", seconds=round(time.perf_counter() - t, 3))
    try:
        an = sw.run()
    except Exception as e:
        emit("analyze_error", seconds=round(time.perf_counter() - t, 3), error=f"{type(e).__name__}: {e}",
             z3=z.snapshot(), stats=sw.stats)
        return
    secs = time.perf_counter() - t
    reasons: dict[str, int] = {}
    for s in an.segments:
        if not s.proved:
            reasons[s.reason or "?"] = reasons.get(s.reason or "?", 0) + 1
    emit("analyze_done", seconds=round(secs, 3), segments=len(an.segments), pieces=len(an.pieces),
         breakpoints=len(an.breakpoints), complete=an.complete, unproved=reasons,
         stats={k: round(v, 3) for k, v in sw.stats.items()}, z3=z.snapshot(),
         seg_list=[{"lo": fx(s.lo), "hi": fx(s.hi), "profiles": [list(p) for p in s.profiles],
                    "forms": {h: [fx(a), fx(b)] for h, (a, b) in s.forms.items()}} for s in an.segments],
         breakpoint_xs=[fx(b.x) for b in an.breakpoints],
         point_list=[{"x": fx(p.x), "profiles": [list(q) for q in p.profiles],
                      "payouts": {h: fx(v) for h, v in p.payouts.items()}} for p in an.points.values()])
    if args.properties:
        import charterverify.properties as props

        # check_all is check_property over RULES; timed one rule at a time
        t = time.perf_counter()
        verdicts: dict[str, int] = {}
        per_rule: dict[str, float] = {}
        try:
            for rule in props.RULES:
                t1 = time.perf_counter()
                r = props.check_property(rule, model, an)
                per_rule[rule] = round(time.perf_counter() - t1, 3)
                v = str(getattr(r.verdict, "value", r.verdict))
                verdicts[v] = verdicts.get(v, 0) + 1
        except Exception as e:
            emit("properties_error", seconds=round(time.perf_counter() - t, 3), error=f"{type(e).__name__}: {e}")
            return
        emit("properties_done", seconds=round(time.perf_counter() - t, 3), verdicts=verdicts, per_rule=per_rule)


# ------------------------------------------------------------------ brute force


def run_brute(args) -> None:
    import bruteforce

    model = _model(args)
    units = model.units()
    emit("model", series=len(model.series), units=len(units), profiles=2 ** len(units))
    deadline = T0 + args.budget
    xs = bruteforce.grid(model, args.grid)
    t = time.perf_counter()
    done = 0
    eq_counts = []
    for x in xs:
        try:
            eqs = bruteforce.equilibria(model, x, deadline)
        except bruteforce.OutOfTime as e:
            emit("gave_up", phase="grid", exit_values_done=done, at_exit_value=fx(x),
                 profiles_done=e.done, profiles_total=e.total, seconds_on_this_value=round(e.elapsed, 3),
                 seconds=round(time.perf_counter() - t, 3))
            return
        done += 1
        eq_counts.append(len(eqs))
        emit("grid_value", i=done, x=fx(x), equilibria=len(eqs))
    emit("grid_done", exit_values=done, seconds=round(time.perf_counter() - t, 3),
         per_exit_value=round((time.perf_counter() - t) / max(1, done), 4),
         without_equilibrium=sum(1 for c in eq_counts if c == 0), multiple=sum(1 for c in eq_counts if c > 1))
    if not args.check:
        return
    # cross-check the sweep: at every breakpoint / piece end, and at one probe inside every segment
    an = None
    for line in Path(args.check).read_text().splitlines():
        ev = json.loads(line)
        if ev["event"] == "analyze_done":
            an = ev
    if an is None:
        emit("check_skipped", why="the analysis did not finish")
        return
    from charterverify.solver.breakpoints import _simplest_between

    probes = []
    for p in an["point_list"]:
        probes.append(("point", Fraction(p["x"]), {tuple(q) for q in p["profiles"]},
                       {h: Fraction(v) for h, v in p["payouts"].items()}))
    for s in an["seg_list"]:
        lo, hi = Fraction(s["lo"]), (Fraction(s["hi"]) if s["hi"] is not None else None)
        x = _simplest_between(lo, hi)
        forms = {h: Fraction(a) + Fraction(b) * x for h, (a, b) in s["forms"].items()}
        probes.append(("piece", x, {tuple(q) for q in s["profiles"]}, forms))
    t = time.perf_counter()
    mismatches = []
    for i, (kind, x, profs, pays) in enumerate(probes):
        try:
            eqs = bruteforce.equilibria(model, x, deadline)
        except bruteforce.OutOfTime as e:
            emit("gave_up", phase="check", checked=i, of=len(probes), profiles_done=e.done, profiles_total=e.total,
                 seconds=round(time.perf_counter() - t, 3), mismatches=mismatches[:5])
            return
        got = {p for p, _ in eqs}
        first = eqs[0][1] if eqs else bruteforce.all_payouts(model, x)[tuple(False for _ in units)]
        if got != profs or any(Fraction(first[h]) != pays[h] for h in pays):
            mismatches.append({"kind": kind, "x": fx(x), "brute_profiles": sorted(map(list, got)),
                               "sweep_profiles": sorted(map(list, profs))})
    emit("check_done", exit_values=len(probes), seconds=round(time.perf_counter() - t, 3),
         per_exit_value=round((time.perf_counter() - t) / max(1, len(probes)), 4),
         mismatches=len(mismatches), examples=mismatches[:5])


# ------------------------------------------------------------------ payouts at many exit values


def payout_grid(count: int, top: int = 300_000_000) -> list[Fraction]:
    return [Fraction(top * (i + 1), count) for i in range(count)]


def _rate(args, name, fn, values) -> None:
    """Evaluate fn at `values` until done or out of budget; emit progress, then the rate."""
    deadline = T0 + args.budget
    t = time.perf_counter()
    n = 0
    for x in values:
        fn(x)
        n += 1
        if n % 25 == 0:
            emit("progress", done=n, seconds=round(time.perf_counter() - t, 3))
        if time.perf_counter() > deadline:
            break
    secs = time.perf_counter() - t
    emit(f"{name}_done", done=n, asked=len(values), seconds=round(secs, 4), per_second=round(n / secs, 3),
         finished=n == len(values))


def run_direct(args) -> None:
    from charterverify.evaluate import evaluate_exit

    model = _model(args)
    values = payout_grid(args.total)[:: max(1, args.total // args.count)][: args.count]
    _rate(args, "direct", lambda x: evaluate_exit(model, x), values)


def run_z3(args) -> None:
    from charterverify.solver import PointSolver

    model = _model(args)
    values = payout_grid(args.total)[:: max(1, args.total // args.count)][: args.count]
    t = time.perf_counter()
    ps = PointSolver(model)
    ps.solve(values[0])  # build the encodings once (not counted below)
    emit("z3_setup", seconds=round(time.perf_counter() - t, 3))
    _rate(args, "z3", ps.solve, values[1:])


def run_z3search(args) -> None:
    """PointSolver.search_equilibria: the equilibria found by z3's own search (what solve uses
    beyond ENUMERATE_UNITS units), each checked against the direct evaluator."""
    from charterverify.evaluate import equilibria
    from charterverify.solver import PointSolver

    model = _model(args)
    values = payout_grid(args.total)[:: max(1, args.total // args.count)][: args.count]
    t = time.perf_counter()
    ps = PointSolver(model)
    ps.search_equilibria(values[0])
    emit("z3_setup", seconds=round(time.perf_counter() - t, 3))
    found = {}

    def one(x):
        found[x] = [p for p, _ in ps.search_equilibria(x)]

    _rate(args, "z3search", one, values[1:])
    if len(ps.single.units) <= 12:  # cross-check a few against the direct evaluator (not timed above)
        xs = list(found)[:5]
        mism = sum(found[x] != [p for p, _ in equilibria(model, x)] for x in xs)
        emit("z3search_check", checked=len(xs), mismatches_with_direct=mism)


def _values(args, model, count: int) -> list[Fraction]:
    """The exit values of a batch: Quintus-style charters (.toml) the $300M grid of payout_grid,
    synthetic charters `count` values up to 2.5x their total preference (bruteforce.grid)."""
    if args.charter.endswith(".toml"):
        return payout_grid(count)
    import bruteforce

    return bruteforce.grid(model, count)


def _spread(xs: list, k: int) -> list:
    """k elements of xs spread evenly from the first to the last (all of them if there are fewer)."""
    if len(xs) <= k:
        return list(xs)
    return [xs[round(i * (len(xs) - 1) / (k - 1))] for i in range(k)] if k > 1 else xs[:1]


def _differences(got, want) -> list[str]:
    """The fields in which two ExitResults differ."""
    return [f for f in ("exit_value", "payouts", "converted", "exercised", "equilibria", "unique_payouts",
                        "all_equilibria") if getattr(got, f) != getattr(want, f)]


def run_tables(args) -> None:
    """The direct evaluator's batch path, `tables.evaluate_many(model, values)`, timed end to end
    (the profile tables built inside the call included), best of --repeat calls; the build inside
    each call is timed through a subclass of `tables.Tables`. Then a sample of the values and of
    the event points (`Tables.event_points()`) is checked against `evaluate_exit`."""
    import charterverify.tables as tables_mod
    from charterverify.evaluate import evaluate_exit

    model = _model(args)
    units = model.units()
    emit("model", series=len(model.series), units=len(units), profiles=2 ** len(units),
         max_table_units=tables_mod.MAX_TABLE_UNITS)
    built: list = []

    class TimedTables(tables_mod.Tables):
        def __init__(self, model):
            t = time.perf_counter()
            super().__init__(model)
            built.append((self, time.perf_counter() - t))

    tables_mod.Tables = TimedTables  # evaluate_many looks the class up at each call
    values = _values(args, model, args.count)
    runs = []
    for k in range(args.repeat):
        built.clear()
        t = time.perf_counter()
        results = tables_mod.evaluate_many(model, values)
        secs = time.perf_counter() - t
        build = built[0][1] if built else None
        r = {"seconds": round(secs, 4), "build_seconds": None if build is None else round(build, 4),
             "lookup_seconds": round(secs - (build or 0), 4)}
        runs.append(r)
        emit("tables_run", i=k + 1, values=len(values), tables_used=bool(built), **r)
    tb = built[0][0] if built else None
    best = min(runs, key=lambda r: r["seconds"])
    out = {"values": len(values), "runs": runs, "seconds": best["seconds"], "build_seconds": best["build_seconds"],
           "lookup_seconds": best["lookup_seconds"], "per_second": round(len(values) / best["seconds"], 1),
           "first_run_seconds": runs[0]["seconds"], "tables_used": tb is not None,
           "values_range": [fx(values[0]), fx(values[-1])]}
    if best["lookup_seconds"] > 0:
        out["per_second_after_build"] = round(len(values) / best["lookup_seconds"], 1)
    if tb is not None:
        out.update(kinks=tb.kinks, sign_events=tb.n_events, intervals=len(tb.starts),
                   event_points=len(tb.point_sets))
    emit("tables_timed", **out)
    # the check against the per-value direct evaluator (not timed above)
    t = time.perf_counter()
    mism = []
    sample = _spread(list(range(len(values))), args.sample)
    for i in sample:
        diff = _differences(results[i], evaluate_exit(model, values[i]))
        if diff:
            mism.append({"x": fx(values[i]), "kind": "grid", "fields": diff})
    points = _spread(tb.event_points(), args.event_sample) if tb is not None else []
    for x in points:
        diff = _differences(tb.evaluate(x), evaluate_exit(model, x))
        if diff:
            mism.append({"x": fx(x), "kind": "event point", "fields": diff})
    emit("tables_done", **out, checked_grid=len(sample), checked_event_points=len(points),
         mismatches_with_evaluate_exit=len(mism), examples=mism[:5], check_seconds=round(time.perf_counter() - t, 3))


def run_pieces(args) -> None:
    """Payouts at many exit values read off the z3-proved pieces of one analysis:
    `analyze(model).payouts_at(values)`, best of 3 calls after the one analysis; checked against
    `evaluate_exit` on a sample."""
    from charterverify.evaluate import evaluate_exit
    from charterverify.solver.breakpoints import analyze

    model = _model(args)
    t = time.perf_counter()
    an = analyze(model)
    emit("pieces_setup", seconds=round(time.perf_counter() - t, 3), pieces=len(an.pieces), complete=an.complete,
         tables=an.tables is not None)
    values = _values(args, model, args.count)
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        pays = an.payouts_at(values)
        runs.append(time.perf_counter() - t)
    best = min(runs)
    t = time.perf_counter()
    sample = _spread(list(range(len(values))), args.sample)
    mism = [fx(values[i]) for i in sample if pays[i] != evaluate_exit(model, values[i]).payouts]
    emit("pieces_done", done=len(values), runs=[round(r, 4) for r in runs], seconds=round(best, 4),
         per_second=round(len(values) / best, 1), checked=len(sample), mismatches_with_direct=len(mism),
         examples=mism[:5], check_seconds=round(time.perf_counter() - t, 3))


def run_waterfall(args) -> None:
    """Single-profile direct waterfalls: every profile in turn, exit values from the grid; best of 3."""
    from itertools import product

    from charterverify.evaluate import choice_of, waterfall

    model = _model(args)
    units = model.units()
    choices = [choice_of(units, p) for p in product((False, True), repeat=len(units))]
    values = payout_grid(args.count)
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        for i, x in enumerate(values):
            waterfall(model, x, choices[i % len(choices)])
        runs.append(time.perf_counter() - t)
    best = min(runs)
    emit("waterfall_done", calls=len(values), runs=[round(r, 4) for r in runs], best_seconds=round(best, 4),
         per_second=round(len(values) / best, 1), profiles=len(choices))


# ------------------------------------------------------------------ cProfile of a full verify


CATEGORIES = {
    # label: (file suffix, function name) whose cumulative time is reported
    "breakpoint analysis (analyze)": ("solver/breakpoints.py", "analyze"),
    "  exact tables, whole (tables.Tables)": ("charterverify/tables.py", "__init__"),
    "    build: every profile's payout table (build_table)": ("charterverify/tables.py", "build_table"),
    "    sweep: equilibrium sets (Tables._sweep)": ("charterverify/tables.py", "_sweep"),
    "  payout-form proofs (q3, z3)": ("solver/breakpoints.py", "_prove_forms"),
    "  exact points at piece ends (Sweep.point)": ("solver/breakpoints.py", "point"),
    "  z3 sweep only (above MAX_TABLE_UNITS): dominance proofs": ("solver/dominance.py", "forced"),
    "  z3 sweep only: other-equilibrium proofs (q1)": ("solver/breakpoints.py", "_find_other_equilibrium"),
    "z3 checks, all (Z3_solver_check_assumptions)": ("z3/z3core.py", "Z3_solver_check_assumptions"),
    "z3 encoding of waterfall copies (encode_waterfall)": ("encodings/waterfall.py", "encode_waterfall"),
    "waterfall plans (evaluate.plan)": ("charterverify/evaluate.py", "plan"),
    "waterfall runs on plans, affine and exact (evaluate.run)": ("charterverify/evaluate.py", "run"),
    "direct waterfall calls (evaluate.waterfall)": ("charterverify/evaluate.py", "waterfall"),
    "Fraction arithmetic (fractions.forward)": ("fractions.py", "forward"),
    "properties (check_all)": ("properties/__init__.py", "check_all"),
    "  conservation (from the tables, or z3)": ("properties/conservation.py", "check"),
    "  conversion": ("properties/conversion.py", "check"),
    "text checks (check_text)": ("text/__init__.py", "check_text"),
    "text traceability (check_traceability)": ("draft/trace.py", "check_traceability"),
}


def run_profile(args) -> None:
    import cProfile
    import io
    import pstats

    from charterverify.cli import main

    prof = cProfile.Profile()
    t = time.perf_counter()
    saved = sys.stdout
    sys.stdout = io.StringIO()
    try:
        prof.runcall(main, [args.charter, "--format", "json"])
    finally:
        sys.stdout = saved
    total = time.perf_counter() - t
    st = pstats.Stats(prof)
    cats = {}
    for label, (suffix, fn) in CATEGORIES.items():
        ct = sum(v[3] for k, v in st.stats.items() if k[0].endswith(suffix) and k[2] == fn)
        calls = sum(v[1] for k, v in st.stats.items() if k[0].endswith(suffix) and k[2] == fn)
        cats[label] = {"cumulative_seconds": round(ct, 3), "calls": calls}
    def top(key, n=15):
        rows = sorted(st.stats.items(), key=lambda kv: kv[1][key], reverse=True)[:n]
        return [{"function": f"{Path(k[0]).name}:{k[1]}({k[2]})", "calls": v[1],
                 "tottime": round(v[2], 3), "cumtime": round(v[3], 3)} for k, v in rows]
    emit("profile_done", seconds_under_profiler=round(total, 3), categories=cats,
         top_tottime=top(2), top_cumtime=top(3, 25))


def main() -> None:
    global _OUT
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=("analyze", "brute", "direct", "z3", "z3search", "tables", "pieces", "waterfall",
                                     "profile"))
    ap.add_argument("charter", help="a charter .toml, or a synthetic size (number of series)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--lift-limit", action="store_true", help="synthetic: lift MAX_SERIES in this process")
    ap.add_argument("--properties", action="store_true", help="analyze: then run check_all")
    ap.add_argument("--budget", type=float, default=120.0, help="seconds (brute, direct, z3)")
    ap.add_argument("--grid", type=int, default=50, help="brute: exit values in the grid")
    ap.add_argument("--check", help="brute: the analyze worker's output, to cross-check its pieces")
    ap.add_argument("--count", type=int, default=200, help="direct/z3/waterfall: exit values to evaluate; "
                    "tables/pieces: the batch size (use 10000)")
    ap.add_argument("--total", type=int, default=10_000, help="direct/z3: the full grid the sample is taken from")
    ap.add_argument("--repeat", type=int, default=3, help="tables: evaluate_many calls timed (best reported)")
    ap.add_argument("--sample", type=int, default=50, help="tables/pieces: values checked against evaluate_exit")
    ap.add_argument("--event-sample", type=int, default=20,
                    help="tables: event points (Tables.event_points) checked against evaluate_exit")
    args = ap.parse_args()
    _OUT = open(args.out, "a")
    emit("start", kind=args.kind, charter=args.charter, pid=os.getpid())
    {"analyze": run_analyze, "brute": run_brute, "direct": run_direct, "z3": run_z3, "z3search": run_z3search,
     "tables": run_tables, "pieces": run_pieces, "waterfall": run_waterfall, "profile": run_profile}[args.kind](args)
    emit("exit")


if __name__ == "__main__":
    main()

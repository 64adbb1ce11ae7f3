"""Performance benchmarks of charterverify: the one command.

    python benchmarks/run.py            # everything, about 10-12 minutes on 2 cores (mostly the z3 budgets)
    python benchmarks/run.py --quick    # small sizes and samples only, 76 s on an idle machine, about 3 minutes at load 3.5

Writes benchmarks/results.json (or --output) and prints a table. What is measured
(docs/performance.md explains the numbers and the targets):

1. `verify charters/X.toml --format json` for every seed, as a subprocess: wall
   time including interpreter start, CPU time and peak RSS of that process (from
   os.wait4), best of 3 (of 2 for runs over 15 s; 1 with --quick).
2. Synthetic charters of 5, 10, 14, 20, 40 and 80 series (benchmarks/synthetic.py):
   the breakpoint analysis with proofs (`analyze`: the exact tables of
   charterverify/tables.py up to MAX_TABLE_UNITS = 12 deciding units, the z3 sweep
   above) and then the properties, each size in its own process with a time budget
   (stopped with SIGKILL; the worker's progress log says how far it got); side by
   side a brute-force enumeration of all 2^units profiles at a grid of exit values
   and at the sweep's points; up to 12 units also the `tables` worker (build time,
   kinks, intervals, `evaluate_many` on 10,000 values checked against `evaluate_exit`).
3. Quintus payouts: the batch direct evaluator `tables.evaluate_many` on 10,000
   exit values end to end (table build included), payouts read off the proved
   pieces (`analyze(model).payouts_at`, 10,000 values), the per-value direct
   evaluator (`evaluate_exit`) and z3 (`PointSolver.solve`, `search_equilibria`)
   on a sample of the same 10,000-value grid (extrapolated), and the
   single-profile `waterfall` rate.
4. Where the Quintus verify spends its time: `Sweep.stats`, z3 accounting and the
   properties rule by rule (no profiler), then a cProfile of the full verify.
5. Where users feel it (`--only scale`, in --quick too), each beside its baseline in the same
   run: Quintus' full verify (CPU and wall; target under 2 s) beside the interpreter start,
   Quintus `verify --exit` with 10,000 values beside `evaluate_many` on the same values,
   `verify -j 2` over the five seeds beside the serial run (byte-identical output, wall
   ratio), and a 13-unit charter with 4 option pools in every format beside Quintus.

6. The late-stage cap table (`synthetic.late_stage`, `--only late`): the full proved analysis
   with 30 option tranches and 3 warrants beside the same charter with 1 tranche.
7. Quintus' full verify alone (`--only quintus`, in --quick too; bytecode cached): as users run
   it with a core free (the readings' effects computed ahead in a second process,
   CHARTERVERIFY_AHEAD=1) and serially (CHARTERVERIFY_AHEAD=0), beside the interpreter start +
   imports, median of 5 (3 with --quick).

`verify` runs as `python -m charterverify` in this checkout (the venv's script may import
another checkout's code).

Every measurement carries the 1-minute load average before and after: other
processes share this machine, and timings under load are longer.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable

TABLE_UNITS = 12  # charterverify.tables.MAX_TABLE_UNITS: analyze uses the exact tables up to this many units

TARGETS = {
    "quintus_verify_seconds": 3.0,
    "quintus_full_verify_cpu_seconds": 2.0,
    "quintus_exit_10000_seconds": 3.0,
    "synthetic40_analyze_seconds": 30.0,
    "direct_exits_per_second": 10_000.0,
}


def load() -> float:
    return round(os.getloadavg()[0], 2)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ the machine


def machine() -> dict:
    info: dict = {"nproc": os.cpu_count(), "usable_cpus": len(os.sched_getaffinity(0))}
    try:
        cpu = Path("/proc/cpuinfo").read_text()
        models = [ln.split(":", 1)[1].strip() for ln in cpu.splitlines() if ln.startswith("model name")]
        info["cpu_model"] = models[0] if models else None
        mhz = [ln.split(":", 1)[1].strip() for ln in cpu.splitlines() if ln.startswith("cpu MHz")]
        info["cpu_mhz"] = mhz[0] if mhz else None
    except OSError:
        info["cpu_model"] = platform.processor()
    try:
        mem = {ln.split(":")[0]: ln.split(":")[1].strip() for ln in Path("/proc/meminfo").read_text().splitlines()}
        info["ram_total"] = mem.get("MemTotal")
    except OSError:
        pass
    info["python"] = platform.python_version()
    info["platform"] = platform.platform()
    try:
        import z3

        info["z3"] = z3.get_version_string()
    except ImportError:
        info["z3"] = None
    try:
        import charterverify

        info["charterverify"] = getattr(charterverify, "__version__", None)
    except ImportError:
        pass
    info["commit"] = _commit()
    info["load_at_start"] = [round(x, 2) for x in os.getloadavg()]
    return info


def _commit() -> str | None:
    """The checked-out commit, read from .git (no git command)."""
    try:
        head = (ROOT / ".git" / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head
        ref = head[5:]
        p = ROOT / ".git" / ref
        if p.exists():
            return p.read_text().strip()
        for ln in (ROOT / ".git" / "packed-refs").read_text().splitlines():
            if ln.endswith(" " + ref):
                return ln.split()[0]
    except OSError:
        pass
    return None


# ------------------------------------------------------------------ processes


def spawn(cmd: list[str], budget: float | None = None, out_path: str | None = None,
          extend=None, env: dict | None = None) -> dict:
    """Run cmd; wall time from spawn to exit, rusage of that process alone (os.wait4).

    With a budget the process is killed (SIGKILL) when it runs past it. `extend(events)`
    may return a later deadline (seconds after start) once a phase has finished.
    """
    stdout = tempfile.TemporaryFile()
    stderr = tempfile.TemporaryFile()
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=ROOT, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, env=env)
    killed = False
    deadline = budget
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        elapsed = time.perf_counter() - t0
        if deadline is not None and extend is not None and out_path:
            deadline = max(deadline, extend(read_events(out_path)) or 0)
        if deadline is not None and elapsed > deadline:
            os.kill(p.pid, signal.SIGKILL)
            killed = True
            pid, status, ru = os.wait4(p.pid, 0)
            break
        time.sleep(0.05 if elapsed < 5 else 0.25)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    stdout.seek(0)
    stderr.seek(0)
    return {"wall_seconds": round(wall, 3), "cpu_seconds": round(ru.ru_utime + ru.ru_stime, 3),
            "peak_rss_mb": round(ru.ru_maxrss / 1024, 1), "returncode": p.returncode, "killed": killed,
            "stdout": stdout.read().decode(errors="replace"), "stderr": stderr.read().decode(errors="replace")}


def read_events(path: str) -> list[dict]:
    out = []
    try:
        for ln in Path(path).read_text().splitlines():
            try:
                out.append(json.loads(ln))
            except json.JSONDecodeError:
                pass  # a line being written
    except FileNotFoundError:
        pass
    return out


def worker(kind: str, target: str, *args: str, budget: float | None = None, extend=None,
           keep: str | None = None) -> tuple[list[dict], dict]:
    out = keep or tempfile.mktemp(prefix=f"cvbench-{kind}-", suffix=".jsonl")
    Path(out).unlink(missing_ok=True)
    cmd = [PY, str(HERE / "workers.py"), kind, target, "--out", out, *args]
    before = load()
    r = spawn(cmd, budget, out, extend)
    r["load_before"], r["load_after"] = before, load()
    events = read_events(out)
    if not keep:
        Path(out).unlink(missing_ok=True)
    if r["returncode"] not in (0, None) and not r["killed"]:
        r["error"] = r["stderr"][-2000:]
    r.pop("stdout")
    r.pop("stderr")
    return events, r


def last(events: list[dict], name: str) -> dict | None:
    for e in reversed(events):
        if e["event"] == name:
            return e
    return None


# ------------------------------------------------------------------ 1. verify of the seeds


def verify_command() -> list[str]:
    """`verify` of the checkout being measured: `python -m charterverify` run in ROOT (the venv's
    `verify` script imports the code it was installed from, which may be another checkout)."""
    return [PY, "-m", "charterverify"]


SHARED = str(ROOT.parent / "shared")  # the seed texts beside the checkout (--text-root)


def bench_startup() -> dict:
    """Interpreter start plus the imports a full verify needs (z3 included), best of 3."""
    cmd = [PY, "-c", "import charterverify.cli, charterverify.solver.breakpoints, charterverify.properties, "
                     "charterverify.text, z3"]
    runs = []
    for _ in range(3):
        before = load()
        r = spawn(cmd)
        r.pop("stdout"), r.pop("stderr")
        r["load_before"] = before
        runs.append(r)
    best = min(runs, key=lambda r: r["wall_seconds"])
    log(f"  interpreter start + imports: {best['wall_seconds']:.2f} s")
    return {"command": "python -c 'import charterverify.cli, ...solver.breakpoints, ...properties, ...text, z3'",
            "best_wall_seconds": best["wall_seconds"], "runs": runs}


def bench_verify(quick: bool) -> list[dict]:
    rows = []
    for charter in sorted((ROOT / "charters").glob("*.toml")):
        rel = str(charter.relative_to(ROOT))
        cmd = verify_command() + [rel, "--format", "json", "--text-root", str(ROOT.parent / "shared")]  # texts beside the checkout
        runs = []
        for i in range(1 if quick else 3):
            before = load()
            r = spawn(cmd)
            r["load_before"], r["load_after"] = before, load()
            out = r.pop("stdout")
            err = r.pop("stderr")
            try:
                doc = json.loads(out)
                r["findings"] = len(doc.get("findings", []))
                r["rules_checked"] = len(doc.get("checked", []))
            except json.JSONDecodeError:
                r["error"] = (err or out)[-1000:]
            runs.append(r)
            log(f"  verify {rel}: {r['wall_seconds']:.2f} s wall, {r['cpu_seconds']:.2f} s CPU, "
                f"{r['peak_rss_mb']} MB, exit {r['returncode']}, load {before}")
            if r["wall_seconds"] > 15 and i >= 1:
                break
        best = min(runs, key=lambda r: r["wall_seconds"])
        rows.append({"charter": rel, "command": " ".join(["verify", rel, "--format", "json"]),
                     "best_wall_seconds": best["wall_seconds"], "best_cpu_seconds": min(r["cpu_seconds"] for r in runs),
                     "peak_rss_mb": max(r["peak_rss_mb"] for r in runs), "runs": runs})
    return rows


# ------------------------------------------------------------------ 2. synthetic charters


def bench_synthetic(sizes: list[int], analyze_budget: float, props_budget: float, brute_budget: float,
                    big_brute_budget: float, grid: int, quick: bool = False) -> list[dict]:
    sys.path.insert(0, str(HERE))
    import synthetic

    rows = []
    for n in sizes:
        row: dict = {"series": n}
        try:
            row["charter"] = synthetic.summary(n)
        except Exception as e:  # e.g. the loader's limit on series
            row["loader"] = f"{type(e).__name__}: {e}"
            import charterverify.model.load as cm  # the loader reads its own MAX_SERIES

            saved = cm.MAX_SERIES
            cm.MAX_SERIES = max(saved, n)
            try:
                row["charter"] = synthetic.summary(n)
            finally:
                cm.MAX_SERIES = saved
            row["note"] = "measured with MAX_SERIES lifted inside the benchmark process (workers.py --lift-limit)"
        log(f"  synthetic {n}: {row['charter']['units']} units; analyze (budget {analyze_budget:.0f} s)")

        # -- the analysis with proofs, then the properties
        keep = tempfile.mktemp(prefix=f"cvbench-analyze{n}-", suffix=".jsonl")

        def extend(events):
            done = last(events, "analyze_done")
            return done["t"] + props_budget + 2 if done else None

        ev, proc = worker("analyze", str(n), "--properties", "--lift-limit", budget=analyze_budget,
                          extend=extend, keep=keep)
        row["analyze"] = summarize_analysis(ev, proc, analyze_budget)
        a = row["analyze"]
        log(f"    analyze ({a.get('path')}): {a['status']}, {a.get('seconds', a.get('gave_up_after'))} s, "
            f"{a.get('pieces', str(a['covers']) + ' pieces covered')} pieces, z3 {(a.get('z3') or {}).get('queries')} "
            f"queries; properties: {a.get('properties')}")

        # -- brute force over all profiles
        budget = brute_budget if row["charter"]["units"] <= 20 else big_brute_budget
        args = ["--grid", str(grid), "--budget", str(budget), "--lift-limit"]
        if a["status"] == "finished":
            args += ["--check", keep]
        ev, proc = worker("brute", str(n), *args, budget=budget + 30)
        row["brute_force"] = summarize_brute(ev, proc, budget, row["charter"]["profiles"], grid)
        b = row["brute_force"]
        log(f"    brute force: {b['status']}; {b.get('per_exit_value_seconds')} s per exit value")
        # -- the exact tables (the path analyze takes up to TABLE_UNITS units) and the batch evaluator
        if row["charter"]["units"] <= TABLE_UNITS:
            ev, proc = worker("tables", str(n), "--count", "10000", "--repeat", "1" if quick else "3",
                              "--sample", "20", "--event-sample", "10", budget=analyze_budget)
            row["tables"] = summarize_tables(ev, proc)
            t = row["tables"]
            log(f"    tables: build {t.get('build_seconds')} s, {t.get('kinks')} kinks, {t.get('intervals')} intervals; "
                f"evaluate_many of {t.get('values')} values {t.get('seconds')} s; "
                f"{t.get('mismatches_with_evaluate_exit')} mismatches with evaluate_exit")
        else:
            row["tables"] = {"status": f"not attempted: {row['charter']['units']} units > {TABLE_UNITS} "
                                       f"(2^{row['charter']['units']} profile tables); analyze uses the z3 sweep"}
        Path(keep).unlink(missing_ok=True)
        rows.append(row)
    return rows


def summarize_analysis(ev: list[dict], proc: dict, budget: float) -> dict:
    out = {"process": proc, "budget_seconds": budget}
    err = last(ev, "model_error")
    if err:
        out["status"] = "model rejected"
        out["error"] = err["error"]
        out["covers"] = 0
        return out
    covers = [e for e in ev if e["event"] == "cover"]  # z3 sweep only: the table path has no covers
    out["covers"] = len(covers)
    model = last(ev, "model")
    if model:
        out["path"] = "tables" if model["units"] <= TABLE_UNITS else "z3 sweep"
    out["sweep_setup_seconds"] = (last(ev, "sweep_ready") or {}).get("seconds")
    marks = {}
    for k in (1, 5, 10, 20, 50, 100):
        if len(covers) >= k:
            marks[f"first_{k}"] = covers[k - 1]["t"] - (last(ev, "sweep_ready") or {"t": 0})["t"]
    out["time_to_first_pieces"] = {k: round(v, 2) for k, v in marks.items()}
    out["slowest_cover_seconds"] = max((c["seconds"] for c in covers), default=None)
    done = last(ev, "analyze_done")
    failed = last(ev, "analyze_error")
    if done:
        out["status"] = "finished"
        for k in ("seconds", "segments", "pieces", "breakpoints", "complete", "unproved", "stats", "z3"):
            out[k] = done[k]
        out["final_points_seconds"] = round(done["t"] - covers[-1]["t"], 3) if covers else None
    elif failed:
        out["status"] = "error"
        out["error"] = failed["error"]
        out["seconds"] = failed["seconds"]
        out["z3"] = failed.get("z3")
    else:
        out["status"] = "did not finish"
        out["gave_up_after"] = budget
        if covers:
            out["z3"] = covers[-1]["z3"]
            out["stats"] = covers[-1]["stats"]
            out["last_cover"] = {k: covers[-1][k] for k in ("n", "t", "seconds", "piece")}
            unproved = [c["piece"]["reason"] for c in covers if c["piece"] and not c["piece"]["proved"]]
            out["unproved_so_far"] = unproved[:10]
        hb = last(ev, "heartbeat")
        if hb:
            out["at_stop"] = {k: hb[k] for k in ("t", "z3_queries_done", "z3_seconds", "in_query", "in_query_seconds")}
        slow = [e for e in ev if e["event"] == "slow_z3_query"]
        if slow:
            out["slow_z3_queries"] = slow[:10]
    p = last(ev, "properties_done")
    if p:
        out["properties"] = {"seconds": p["seconds"], "verdicts": p["verdicts"]}
    elif last(ev, "properties_error"):
        out["properties"] = {"error": last(ev, "properties_error")["error"]}
    elif done:
        out["properties"] = "did not finish within its budget"
    return out


def summarize_tables(ev: list[dict], proc: dict) -> dict:
    """The tables worker: its timing (tables_timed) and, if it got that far, its check (tables_done)."""
    d = last(ev, "tables_done") or last(ev, "tables_timed")
    out = {k: v for k, v in (d or {}).items() if k not in ("event", "t", "load")}
    if d is None:
        out["status"] = "did not finish" if proc["killed"] else "error"
    elif d["event"] == "tables_timed":
        out["status"] = "timed; the check against evaluate_exit did not finish"
    else:
        out["status"] = "finished"
    out["process"] = proc
    return out


def summarize_brute(ev: list[dict], proc: dict, budget: float, profiles: int, grid: int) -> dict:
    out = {"process": proc, "budget_seconds": budget, "profiles_per_exit_value": profiles, "grid": grid}
    g = last(ev, "grid_done")
    gave = last(ev, "gave_up")
    if g:
        out["grid_seconds"] = g["seconds"]
        out["per_exit_value_seconds"] = g["per_exit_value"]
        out["grid_without_equilibrium"] = g["without_equilibrium"]
        out["grid_multiple_equilibria"] = g["multiple"]
        out["status"] = "finished"
    c = last(ev, "check_done")
    if c:
        out["check"] = {k: c[k] for k in ("exit_values", "seconds", "per_exit_value", "mismatches", "examples")}
    if gave:
        out["status"] = "did not finish" if gave["phase"] == "grid" else "grid finished; check did not finish"
        out["gave_up"] = {k: v for k, v in gave.items() if k not in ("event", "load")}
        if gave["phase"] == "grid":
            done_values = gave["exit_values_done"]
            if done_values:
                out["per_exit_value_seconds"] = round(
                    (gave["seconds"] - gave["seconds_on_this_value"]) / done_values, 4)
            elif gave["profiles_done"]:
                rate = gave["profiles_done"] / gave["seconds_on_this_value"]
                out["profiles_per_second"] = round(rate, 1)
                out["per_exit_value_seconds_extrapolated"] = round(profiles / rate, 1)
    if "status" not in out:
        out["status"] = "killed" if proc["killed"] else "error"
    return out


# ------------------------------------------------------------------ brute force beside the analysis


BESIDE = ((16, 14), (18, 16))  # (series, deciding units) of the synthetic charters compared


def bench_beside(budget: float) -> list[dict]:
    """The z3 sweep and the brute force over all 2^units profiles on the same charter (14 and 16
    deciding units): at every point the analysis computed and one probe inside every segment, the
    brute force's equilibrium set and payouts must equal the analysis's. The ratio is the brute
    force's time for those exit values over the analysis's time (which proves every exit value)."""
    sys.path.insert(0, str(HERE))
    import synthetic

    rows = []
    for n, units in BESIDE:
        row: dict = {"series": n, "charter": synthetic.summary(n)}
        keep = tempfile.mktemp(prefix=f"cvbench-beside{n}-", suffix=".jsonl")
        ev, proc = worker("analyze", str(n), budget=240, keep=keep)
        done = last(ev, "analyze_done")
        row["analyze"] = {"process": proc, **({k: done[k] for k in ("seconds", "segments", "pieces", "complete")}
                                              if done else {"status": "did not finish"})}
        if done:
            ev, proc = worker("brute", str(n), "--grid", "0", "--budget", str(budget), "--check", keep,
                              budget=budget + 30)
            c, gave = last(ev, "check_done"), last(ev, "gave_up")
            b: dict = {"process": proc, "budget_seconds": budget}
            if c:
                b.update(status="finished", exit_values=c["exit_values"], seconds=c["seconds"],
                         per_exit_value=c["per_exit_value"], mismatches=c["mismatches"], examples=c["examples"])
                b["brute_seconds_for_these_values"] = c["seconds"]
            elif gave:
                checked = gave.get("checked", 0)
                b.update(status="did not finish", checked=checked, of=gave.get("of"), seconds=gave["seconds"],
                         mismatches=len(gave.get("mismatches", [])), examples=gave.get("mismatches", []))
                if checked:
                    b["per_exit_value"] = round(gave["seconds"] / checked, 3)
                    b["brute_seconds_for_these_values"] = round(gave["seconds"] / checked * gave["of"], 1)
                    b["extrapolated"] = True
            row["brute_force"] = b
            if b.get("brute_seconds_for_these_values"):
                row["ratio"] = round(b["brute_seconds_for_these_values"] / done["seconds"], 1)
        Path(keep).unlink(missing_ok=True)
        b = row.get("brute_force", {})
        log(f"  {units} units ({n} series): analysis {row['analyze'].get('seconds')} s, "
            f"{row['analyze'].get('segments')} segments; brute force {b.get('status')}: "
            f"{b.get('exit_values', b.get('checked'))} exit values checked, {b.get('mismatches')} mismatches, "
            f"{b.get('per_exit_value')} s per exit value; brute force / analysis = {row.get('ratio')}x"
            + (" (extrapolated to every value)" if b.get("extrapolated") else ""))
        rows.append(row)
    return rows


# ------------------------------------------------------------------ 3. payouts


def bench_payouts(quick: bool) -> dict:
    q = "charters/quintus.toml"
    res: dict = {"charter": q, "grid": "exit values k * $300,000,000 / 10,000, k = 1..10,000 (all of them, or an even "
                                      "sample of them)"}
    # the batch direct evaluator: evaluate_many on all 10,000 values, table build included (target 3)
    ev, proc = worker("tables", q, "--count", "10000", "--repeat", "3", "--sample", "50", "--event-sample", "20",
                      budget=300)
    res["tables"] = summarize_tables(ev, proc)
    t = res["tables"]
    log(f"  evaluate_many (tables), 10,000 values: {t.get('seconds')} s end to end = {t.get('per_second')} exit values/s "
        f"(build {t.get('build_seconds')} s, then {t.get('per_second_after_build')}/s); "
        f"{t.get('mismatches_with_evaluate_exit')} mismatches with evaluate_exit "
        f"({t.get('checked_grid')} values, {t.get('checked_event_points')} event points)")
    # payouts read off the proved pieces of one analysis
    ev, proc = worker("pieces", q, "--count", "10000", "--sample", "50", budget=300)
    pc = last(ev, "pieces_done")
    res["pieces"] = {**(pc or {"status": "did not finish"}), "setup": last(ev, "pieces_setup"), "process": proc}
    log(f"  analyze(model).payouts_at, 10,000 values: {pc and pc['per_second']} exit values/s after a "
        f"{(last(ev, 'pieces_setup') or {}).get('seconds')} s analyze; {pc and pc['mismatches_with_direct']} mismatches")
    n_direct, n_z3, n_wf = (20, 10, 500) if quick else (200, 200, 5000)
    ev, proc = worker("direct", q, "--count", str(n_direct), "--budget", "90", budget=150)
    d = last(ev, "direct_done")
    res["direct"] = {**(d or {"status": "did not finish"}), "process": proc}
    if d:
        res["direct"]["extrapolated_10000_seconds"] = round(10_000 / d["per_second"], 1)
    log(f"  direct evaluate_exit: {d and d['per_second']} exit values/s ({d and d['done']} values)")
    ev, proc = worker("z3", q, "--count", str(n_z3), "--budget", "90", budget=150)
    z = last(ev, "z3_done")
    res["z3"] = {**(z or {"status": "did not finish"}), "setup": last(ev, "z3_setup"), "process": proc}
    if z:
        res["z3"]["extrapolated_10000_seconds"] = round(10_000 / z["per_second"], 1)
    log(f"  z3 PointSolver.solve: {z and z['per_second']} exit values/s ({z and z['done']} values)")
    n_search = 5 if quick else 40
    ev, proc = worker("z3search", q, "--count", str(n_search), "--budget", "60", budget=120)
    z = last(ev, "z3search_done")
    res["z3_search"] = {**(z or {"status": "did not finish"}), "setup": last(ev, "z3_setup"),
                        "check": last(ev, "z3search_check"), "process": proc}
    if z:
        res["z3_search"]["extrapolated_10000_seconds"] = round(10_000 / z["per_second"], 1)
    log(f"  z3 PointSolver.search_equilibria: {z and z['per_second']} exit values/s ({z and z['done']} values)")
    ev, proc = worker("waterfall", q, "--count", str(n_wf), budget=300)
    w = last(ev, "waterfall_done")
    res["waterfall"] = {**(w or {"status": "did not finish"}), "process": proc}
    log(f"  single-profile waterfall: {w and w['per_second']} calls/s")
    return res


def bench_quintus_breakdown() -> dict:
    """Where the Quintus verify spends its time: Sweep.stats (the table build, the q3 proofs, the
    points) and z3 query accounting, the properties rule by rule (no profiler), and a cProfile
    of the whole verify."""
    q = "charters/quintus.toml"
    out: dict = {}
    ev, proc = worker("analyze", q, "--properties", budget=300)
    done = last(ev, "analyze_done")
    if done:
        out["analyze"] = {k: done[k] for k in ("seconds", "segments", "pieces", "breakpoints", "complete", "stats", "z3")}
        out["analyze"]["path"] = "tables" if "tables" in done["stats"] else "z3 sweep"
        pr = last(ev, "properties_done")
        out["properties"] = pr and {k: pr.get(k) for k in ("seconds", "verdicts", "per_rule")}
        out["analyze"]["process"] = proc
    log(f"  Quintus analyze: {done and done['seconds']} s (tables {done and done['stats'].get('tables')} s); "
        f"z3 {done and done['z3']['seconds']} s in {done and done['z3']['queries']} queries")
    ev, proc = worker("profile", q, budget=300)
    p = last(ev, "profile_done") or {"status": "did not finish"}
    p.pop("event", None)
    p["process"] = proc
    out["cprofile"] = p
    return out


# ------------------------------------------------------------------ 5. where users feel it (issue 16)


def _best(cmd: list[str], repeat: int, env: dict | None = None) -> dict:
    runs = []
    for _ in range(repeat):
        before = load()
        r = spawn(cmd, env=env)
        r.pop("stdout")
        err = r.pop("stderr")
        r["load_before"], r["load_after"] = before, load()
        if r["returncode"] not in (0, 1):
            r["error"] = err[-500:]
        runs.append(r)
    best = min(runs, key=lambda r: r["wall_seconds"])
    return {"command": " ".join(Path(c).name if i == 0 else c for i, c in enumerate(cmd[:6])) + (" ..." if len(cmd) > 6 else ""),
            "best_wall_seconds": best["wall_seconds"], "best_cpu_seconds": min(r["cpu_seconds"] for r in runs),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in runs), "returncodes": [r["returncode"] for r in runs],
            "load_before": [r["load_before"] for r in runs]}


def bench_quintus_full(quick: bool) -> dict:
    """Quintus' full verify (`--text-root ../shared --format json`) with the bytecode cached: with the
    readings' effects computed ahead in a second process (CHARTERVERIFY_AHEAD=1, as users run it when
    the load leaves a core free) and serially (CHARTERVERIFY_AHEAD=0), alternating,
    beside the interpreter start + imports. CPU counts the second process (os.wait4 of the verify,
    which reaps it). The output of the two runs is compared byte for byte."""
    repeat = 3 if quick else 5
    q = "charters/quintus.toml"
    full = verify_command() + [q, "--format", "json", "--text-root", SHARED]
    out: dict = {}
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        serial = dict(env, CHARTERVERIFY_AHEAD="0")
        env["CHARTERVERIFY_AHEAD"] = "1"  # whatever the load (by default a busy machine runs serially)
        a, b = spawn(full, env=env), spawn(full, env=serial)  # write the cache; compare the outputs
        out["identical"] = a["stdout"] == b["stdout"] and a["returncode"] == b["returncode"]
        runs: dict = {"ahead": [], "serial": []}
        for _ in range(repeat):  # alternating, so drifting load touches both alike
            for name, e in (("ahead", env), ("serial", serial)):
                before = load()
                r = spawn(full, env=e)
                r.pop("stdout"), r.pop("stderr")
                r["load_before"] = before
                runs[name].append(r)
        for name, rs in runs.items():
            walls = sorted(r["wall_seconds"] for r in rs)
            cpus = sorted(r["cpu_seconds"] for r in rs)
            out[name] = {"median_wall_seconds": walls[len(walls) // 2], "best_wall_seconds": walls[0],
                         "median_cpu_seconds": cpus[len(cpus) // 2], "best_cpu_seconds": cpus[0],
                         "returncodes": [r["returncode"] for r in rs], "load_before": [r["load_before"] for r in rs]}
    out["startup"] = bench_startup()
    log(f"  Quintus full verify (bytecode cached), readings ahead: median {out['ahead']['median_wall_seconds']} s wall, "
        f"{out['ahead']['median_cpu_seconds']} s CPU; serial: {out['serial']['median_wall_seconds']} s wall, "
        f"{out['serial']['median_cpu_seconds']} s CPU; interpreter start + imports "
        f"{out['startup']['best_wall_seconds']} s; output identical: {out['identical']}")
    return out


def bench_scale(quick: bool) -> dict:
    """Side by side in one run, each beside its baseline:
    - Quintus `verify --exit` with 10,000 values (one process, start included) against the
      library's `evaluate_many` on the same 10,000 values (table build included);
    - a 13-unit charter with 4 option pools (synthetic 10 series + 4 pools) in every format,
      against Quintus' full verify in the same run (goal: at most 3x)."""
    sys.path.insert(0, str(HERE))
    import synthetic

    repeat = 1 if quick else 3
    out: dict = {}
    q = "charters/quintus.toml"
    grid = [str(300_000_000 * k // 10_000) for k in range(1, 10_001)]
    cmd = verify_command() + [q, "--format", "json"]
    for v in grid:
        cmd += ["--exit", v]
    out["quintus_cli_exit_10000"] = _best(cmd, repeat)
    ev, proc = worker("tables", q, "--count", "10000", "--repeat", "1", "--sample", "5", "--event-sample", "5",
                      budget=300)
    t = summarize_tables(ev, proc)
    out["quintus_evaluate_many_10000_seconds"] = t.get("seconds")
    out["quintus_verify"] = _best(verify_command() + [q, "--format", "json", "--text-root", SHARED], repeat)
    log(f"  Quintus verify --exit x 10,000: {out['quintus_cli_exit_10000']['best_wall_seconds']} s wall "
        f"(evaluate_many {t.get('seconds')} s in the same run); full verify {out['quintus_verify']['best_wall_seconds']} s "
        f"wall, {out['quintus_verify']['best_cpu_seconds']} s CPU")
    # the same with the modules' bytecode cached, as an installed package has it (pip compiles it);
    # under PYTHONDONTWRITEBYTECODE=1 every run compiles every module again
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        full = verify_command() + [q, "--format", "json", "--text-root", SHARED]
        spawn(full, env=env)  # writes the cache
        out["quintus_verify_cached_bytecode"] = _best(full, repeat, env)
        out["quintus_verify_cached_bytecode"]["environment"] = (
            f"PYTHONDONTWRITEBYTECODE={'1 (as the runs above)' if os.environ.get('PYTHONDONTWRITEBYTECODE') else 'unset'}"
            " here unset, PYTHONPYCACHEPREFIX a warmed temporary directory")
    log(f"  Quintus full verify with the bytecode cached: {out['quintus_verify_cached_bytecode']['best_cpu_seconds']} s CPU")
    out["startup"] = bench_startup()
    out["jobs"] = bench_jobs(quick)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "pools13.toml"
        path.write_text(synthetic.generate(10, pools=4))
        rows = {}
        for fmt in ("json", "text", "sarif", "junit", "github", "markdown"):
            r = _best(verify_command() + [str(path), "--format", fmt], 1 if quick else 2)
            r["ratio_to_quintus"] = round(r["best_wall_seconds"] / out["quintus_verify"]["best_wall_seconds"], 2)
            rows[fmt] = r
            log(f"  13 units (4 option pools) --format {fmt}: {r['best_wall_seconds']} s = "
                f"{r['ratio_to_quintus']}x Quintus, exit {r['returncodes']}")
        out["pools13"] = {"charter": "synthetic.generate(10, pools=4): 10 series, 4 option pools, 13 units",
                          "formats": rows}
    return out


# ------------------------------------------------------------------ late-stage cap table (options by threshold)

_LATE_SCRIPT = """
import json, sys, time
sys.path[:0] = [{root!r}, {here!r}]
import synthetic
from charterverify.options import deciding_units
from charterverify.solver.breakpoints import analyze
m = synthetic.late_model(vote={vote}, tranches={tranches})
t, c = time.perf_counter(), time.process_time()
an = analyze(m)
print(json.dumps({{"seconds": round(time.perf_counter() - t, 2), "analyze_cpu_seconds": round(time.process_time() - c, 2),
                  "units": len(m.units()),
                  "deciding_units": len(deciding_units(m)), "pools": len(m.captable.options),
                  "pieces": len(an.pieces), "breakpoints": len(an.breakpoints), "complete": an.complete,
                  "path": "tables" if an.tables is not None else "z3 sweep",
                  "profiles": len(getattr(an.tables, "profiles", ())),
                  "ruled_out": getattr(an.tables, "pruned", None),
                  "ruled_out_by_bounds": getattr(an.tables, "bound_pruned", None)}}))
"""


def bench_late(quick: bool) -> dict:
    """The late-stage generator (synthetic.late_stage: 15 series in 5 tiers, 30 option tranches, 3
    warrants, one class vote): the full proved analysis (`analyze`, every piece proved), each in its
    own process with a budget, beside the same charter with 1 tranche (how the cost grows with the
    tranches: the pools are resolved by threshold, charterverify/options.py). Also with a class vote
    of 8 series (8 deciding units), the size where the tables are cheap."""
    budget = 240 if quick else 900
    out: dict = {"budget_seconds": budget, "runs": []}
    for vote, tranches in ((8, 1), (8, 30), (4, 1), (4, 30)):
        cmd = [PY, "-c", _LATE_SCRIPT.format(root=str(ROOT), here=str(HERE), vote=vote, tranches=tranches)]
        before = load()
        r = spawn(cmd, budget)
        row = {"class_vote_series": vote, "tranches": tranches, "warrants": 3, "load_before": before,
               "load_after": load(), "wall_seconds": r["wall_seconds"], "cpu_seconds": r["cpu_seconds"],
               "peak_rss_mb": r["peak_rss_mb"]}
        try:
            row.update(json.loads(r["stdout"].strip().splitlines()[-1]))
        except (ValueError, IndexError):
            row["status"] = "killed at the budget" if r.get("killed") else f"failed: {r['stderr'][-300:]}"
        out["runs"].append(row)
        log(f"  late stage, class vote of {vote}, {tranches} tranches + 3 warrants: "
            + (f"{row['seconds']} s wall, {row.get('analyze_cpu_seconds')} s CPU, {row['peak_rss_mb']} MB peak "
               f"({row['path']}, {row['deciding_units']} deciding units of {row['units']}, "
               f"{row['pieces']} pieces, complete {row['complete']}; profiles ruled out {row.get('ruled_out')} of "
               f"{row.get('profiles')}, {row.get('ruled_out_by_bounds')} of them by the bounds, without a table)"
               if "seconds" in row else row["status"]))
    return out


def bench_jobs(quick: bool) -> dict:
    """`verify -j 2` over the five seeds against the serial run (-j 1), each run in turn (best of 1,
    or of 3): the output byte for byte, the exit statuses, and the wall-time ratio. The CPU time
    counts the worker processes too (os.wait4 reports the process with the children it reaped)."""
    seeds = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "charters").glob("*.toml"))
    cmd = verify_command() + seeds + ["--format", "json", "--text-root", SHARED]
    rows: dict = {}
    outputs: dict = {}
    for _ in range(1 if quick else 3):
        for j in (1, 2):
            before = load()
            r = spawn(cmd + ["-j", str(j)])
            r["load_before"], r["load_after"] = before, load()
            out = r.pop("stdout")
            err = r.pop("stderr")
            outputs.setdefault(j, set()).add((out, err, r["returncode"]))
            rows.setdefault(j, []).append(r)
    best = {j: min(rs, key=lambda r: r["wall_seconds"]) for j, rs in rows.items()}
    identical = len(outputs[1] | outputs[2]) == 1
    res = {"command": f"verify -j N {' '.join(seeds)} --format json --text-root ../shared",
           "identical": identical, "returncodes": sorted({r["returncode"] for rs in rows.values() for r in rs}),
           "serial_wall_seconds": best[1]["wall_seconds"], "parallel_wall_seconds": best[2]["wall_seconds"],
           "serial_cpu_seconds": best[1]["cpu_seconds"], "parallel_cpu_seconds": best[2]["cpu_seconds"],
           "wall_ratio": round(best[2]["wall_seconds"] / best[1]["wall_seconds"], 2), "runs": rows}
    log(f"  verify -j 2 over {len(seeds)} seeds: {res['parallel_wall_seconds']} s wall against "
        f"{res['serial_wall_seconds']} s serial (ratio {res['wall_ratio']}), byte-identical: "
        f"{'yes' if identical else 'NO'}, load {best[2]['load_before']}")
    return res


# ------------------------------------------------------------------ report


def targets(res: dict) -> list[dict]:
    out = []
    late = next((r for r in res.get("late", {}).get("runs", []) if r["class_vote_series"] == 4
                 and r["tranches"] == 30), None)
    if late:
        # the analysis' CPU seconds (its wall time on the shared machine follows the load)
        secs = late.get("analyze_cpu_seconds", late.get("seconds"))
        ok = "seconds" in late and late["complete"] and secs < 10
        out.append({"target": "late-stage cap table (15 series, 30 tranches, 3 warrants), full proved analysis",
                    "limit": "< 10 s", "measured": (f"{secs} s CPU ({late['seconds']} s wall, {late['path']}, "
                                                    f"peak {late['peak_rss_mb']} MB, load {late['load_before']:.1f})")
                    if "seconds" in late else late["status"], "met": ok})
    sc = res.get("scale") or {}
    qv = sc.get("quintus_verify")
    if qv and qv.get("returncodes") and all(c in (0, 1) for c in qv["returncodes"]):
        # the figure users get: bytecode cached as an installed package has it (when measured)
        qc = sc.get("quintus_verify_cached_bytecode") or qv
        v = qc["best_cpu_seconds"]
        out.append({"target": "Quintus full verify (--text-root ../shared), CPU of the process, start included",
                    "limit": "< 2 s", "measured": f"{v:.2f} s CPU, {qc['best_wall_seconds']:.2f} s wall, bytecode cached "
                                                  f"({qv['best_cpu_seconds']:.2f} s CPU as the environment runs it); "
                                                  f"load {qv.get('load_before')}",
                    "met": v < TARGETS["quintus_full_verify_cpu_seconds"]})
    qf = res.get("quintus_full")
    if qf:
        a, sr = qf["ahead"], qf["serial"]
        out.append({"target": "Quintus full verify (--text-root ../shared), wall, start included, the readings "
                              "in a second process (bytecode cached)", "limit": "< 2 s",
                    "measured": f"median {a['median_wall_seconds']:.2f} s wall, {a['median_cpu_seconds']:.2f} s CPU; "
                                f"serial {sr['median_wall_seconds']:.2f} s wall, {sr['median_cpu_seconds']:.2f} s CPU; "
                                f"output identical: {qf['identical']}; load {a['load_before']}",
                    "met": a["median_wall_seconds"] < TARGETS["quintus_full_verify_cpu_seconds"] and qf["identical"]})
        out.append({"target": "Quintus full verify, CPU, serial (CHARTERVERIFY_AHEAD=0, bytecode cached)",
                    "limit": "< 2 s", "measured": f"median {sr['median_cpu_seconds']:.2f} s CPU",
                    "met": sr["median_cpu_seconds"] < TARGETS["quintus_full_verify_cpu_seconds"]})
    qe = sc.get("quintus_cli_exit_10000")
    if qe and qe.get("returncodes") and all(c in (0, 1) for c in qe["returncodes"]):
        v = qe["best_wall_seconds"]
        out.append({"target": "Quintus verify --exit x 10,000 (wall, start included)", "limit": "< 3 s",
                    "measured": f"{v:.2f} s wall ({qe['best_cpu_seconds']:.2f} s CPU); evaluate_many "
                                f"{sc.get('quintus_evaluate_many_10000_seconds')} s in the same run",
                    "met": v < TARGETS["quintus_exit_10000_seconds"]})
    jb = sc.get("jobs")
    if jb:
        out.append({"target": "verify -j 2 over the five seeds: the serial run's output", "limit": "byte-identical",
                    "measured": f"{'identical' if jb['identical'] else 'DIFFERENT'}; wall ratio {jb['wall_ratio']}",
                    "met": jb["identical"]})
    q = next((r for r in res.get("verify", []) if r["charter"].endswith("quintus.toml")), None)
    if q:
        v = q["best_wall_seconds"]
        out.append({"target": "Quintus full verify (wall, incl. interpreter start)", "limit": "< 3 s",
                    "measured": f"{v:.1f} s", "met": v < TARGETS["quintus_verify_seconds"]})
    s40 = next((r for r in res.get("synthetic", []) if r["series"] == 40), None)
    if s40:
        a = s40["analyze"]
        if a["status"] == "finished":
            m, ok = f"{a['seconds']:.1f} s", a["seconds"] < TARGETS["synthetic40_analyze_seconds"]
        else:
            m, ok = f"{a['status']} ({a['covers']} pieces in {a.get('gave_up_after')} s)", False
        out.append({"target": "40-series synthetic full analysis", "limit": "< 30 s", "measured": m, "met": ok})
    t = res.get("payouts", {}).get("tables", {})
    if "per_second" in t:
        v = t["per_second"]
        m = (f"{v:,.0f} exit values/s: evaluate_many of {t['values']:,} values in {t['seconds']:.2f} s, table build "
             f"({t['build_seconds']:.2f} s) included; {t.get('mismatches_with_evaluate_exit', '?')} mismatches")
        out.append({"target": "direct evaluator on Quintus (evaluate_many, end to end)",
                    "limit": ">= 10,000 exit values/s", "measured": m, "met": v >= TARGETS["direct_exits_per_second"]})
    return out


def table(res: dict) -> str:
    lines = []
    w = lines.append
    m = res["machine"]
    w(f"machine: {m['nproc']} CPU ({m.get('cpu_model')}), RAM {m.get('ram_total')}, Python {m['python']}, z3 {m['z3']}")
    w("")
    if res.get("startup"):
        w(f"interpreter start + imports (z3 included): {res['startup']['best_wall_seconds']:.2f} s")
        w("")
    if res.get("verify"):
        w("| verify (--format json) | best wall s | best CPU s | peak RSS MB | load | findings |")
        w("|---|---:|---:|---:|---|---:|")
        for r in res["verify"]:
            loads = "/".join(f"{x['load_before']:.1f}" for x in r["runs"])
            w(f"| {r['charter']} | {r['best_wall_seconds']:.2f} | {r['best_cpu_seconds']:.2f} | {r['peak_rss_mb']} "
              f"| {loads} | {r['runs'][0].get('findings', 'error')} |")
        w("")
    if res.get("late"):
        w("| late stage (15 series, 3 warrants) | tranches | deciding units / units | path | analyze s (wall / CPU) "
          "| peak RSS MB | pieces | complete | load |")
        w("|---|---:|---|---|---:|---:|---:|---|---|")
        for r in res["late"]["runs"]:
            if "seconds" in r:
                w(f"| class vote of {r['class_vote_series']} | {r['tranches']} | {r['deciding_units']} / {r['units']} "
                  f"| {r['path']} | {r['seconds']} / {r.get('analyze_cpu_seconds', '-')} | {r.get('peak_rss_mb', '-')} "
                  f"| {r['pieces']} | {r['complete']} | {r['load_before']:.1f} |")
            else:
                w(f"| class vote of {r['class_vote_series']} | {r['tranches']} | - | - | {r['status']} | - | - | - "
                  f"| {r['load_before']:.1f} |")
        w("")
    if res.get("synthetic"):
        w("| series | units | 2^units | analyze path | analyze s | tables build s | pieces | bps | z3 queries | unknown | "
          "properties s | peak MB | brute s/exit | brute grid | sweep vs brute | tables worker: kinks, intervals; "
          "evaluate_many | vs evaluate_exit |")
        w("|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---|---:|---|---|---|---|---|")
        for r in res["synthetic"]:
            a, b, c = r["analyze"], r["brute_force"], r["charter"]
            if a["status"] == "finished":
                at = f"{a['seconds']:.2f}"
            elif a["status"] == "did not finish":
                at = f"DNF > {a['gave_up_after']:.0f} ({a['covers']} covers)"
            else:
                at = a["status"]
            if r.get("loader"):
                at += " [loader rejects; limit lifted]"
            st = a.get("stats") or {}
            tb = f"{st['tables']:.2f}" if "tables" in st else "-"
            z = a.get("z3") or {}
            unk = z.get("status", {}).get("unknown", 0)
            props = a.get("properties")
            ps = f"{props['seconds']:.1f}" if isinstance(props, dict) and "seconds" in props else (
                "-" if props is None else "DNF")
            if "per_exit_value_seconds" in b:
                bs = f"{b['per_exit_value_seconds']:.3f}"
            elif "per_exit_value_seconds_extrapolated" in b:
                bs = f"~{b['per_exit_value_seconds_extrapolated']:.3g} (extrap.)"
            else:
                bs = "-"
            bg = f"{b['grid_seconds']:.1f} s / {b['grid']}" if "grid_seconds" in b else "DNF"
            ck = b.get("check")
            cks = (f"{ck['exit_values']} pts, {ck['mismatches']} mismatch" if ck else "-")
            tw, tc = tables_cells(r.get("tables"))
            w(f"| {r['series']} | {c['units']} | {c['profiles']:.3g} | {a.get('path', '-')} | {at} | {tb} | "
              f"{a.get('pieces', '-')} | {a.get('breakpoints', '-')} | {z.get('queries', '-')} | {unk} | {ps} | "
              f"{a['process']['peak_rss_mb']} | {bs} | {bg} | {cks} | {tw} | {tc} |")
        w("")
    qb = res.get("quintus_breakdown")
    if qb and qb.get("analyze"):
        a = qb["analyze"]
        st, z = a["stats"], a["z3"]
        w("| Quintus, where the time goes (no profiler) | seconds | count |")
        w("|---|---:|---:|")
        w(f"| analyze ({a.get('path')}) | {a['seconds']:.2f} | {a['segments']} segments |")
        if "tables" in st:
            w(f"| - exact tables: 2^units payout tables and the equilibrium sweep (tables.Tables) | "
              f"{st['tables']:.2f} | {st.get('tables#', 0):.0f} |")
        if "dominance" in st:
            w(f"| - dominance proofs (z3) | {st['dominance']:.2f} | "
              f"{z['by_module'].get('dominance', [0])[0]} queries |")
        if "q1" in st:
            w(f"| - other-equilibrium proofs incl. dominance (q1) | {st['q1']:.2f} | {st.get('q1#', 0):.0f} |")
        w(f"| - payout-form proofs (q3, z3) | {st.get('q3', 0):.2f} | {st.get('q3#', 0):.0f} |")
        w(f"| - exact points at piece ends (point) | {st.get('point', 0):.2f} | {st.get('point#', 0):.0f} |")
        w(f"| - all z3 checks | {z['seconds']:.2f} | {z['queries']} |")
        if qb.get("properties"):
            w(f"| properties (check_all) | {qb['properties']['seconds']:.2f} | |")
            for rule, secs in sorted((qb["properties"].get("per_rule") or {}).items(), key=lambda kv: -kv[1])[:3]:
                w(f"| - {rule} | {secs:.2f} | |")
        cats = (qb.get("cprofile") or {}).get("categories") or {}
        txt = [cats[k]["cumulative_seconds"] for k in cats if k.startswith("text ")]
        if txt:
            w(f"| text checks and traceability (under cProfile) | {sum(txt):.2f} | |")
        w("")
        if cats:
            w(f"| cProfile of the full verify ({qb['cprofile']['seconds_under_profiler']:.2f} s under the profiler) | "
              f"cumulative s | calls |")
            w("|---|---:|---:|")
            for label, c in cats.items():
                if c["calls"]:
                    depth = (len(label) - len(label.lstrip())) // 2  # CATEGORIES indents sub-items
                    w(f"| {'- ' * depth}{label.strip()} | {c['cumulative_seconds']:.2f} | {c['calls']} |")
            w("")
    p = res.get("payouts")
    if p:
        w("| Quintus payouts | exit values | seconds | per second | 10,000 values |")
        w("|---|---:|---:|---:|---:|")
        t = p.get("tables", {})
        if "per_second" in t:
            w(f"| evaluate_many (tables), end to end, best of {len(t['runs'])} calls (first "
              f"{t['first_run_seconds']:.3f} s) | {t['values']} | {t['seconds']:.3f} | "
              f"{t['per_second']:,.0f} | {t['seconds']:.2f} s (measured) |")
            w(f"| - of which the table build | | {t['build_seconds']:.3f} | | |")
            if "per_second_after_build" in t:
                w(f"| - then per value, after the build | {t['values']} | {t['lookup_seconds']:.3f} | "
                  f"{t['per_second_after_build']:,.0f} | |")
            if "mismatches_with_evaluate_exit" in t:
                w(f"| - checked against evaluate_exit | {t['checked_grid']} values + {t['checked_event_points']} "
                  f"event points | {t['check_seconds']:.1f} | {t['mismatches_with_evaluate_exit']} mismatches | |")
        pc = p.get("pieces", {})
        if "per_second" in pc:
            w(f"| analyze(model).payouts_at (z3-proved pieces; after a {pc['setup']['seconds']:.1f} s analyze), "
              f"{pc['mismatches_with_direct']} of {pc['checked']} differ from evaluate_exit | {pc['done']} | "
              f"{pc['seconds']:.3f} | {pc['per_second']:,.0f} | {pc['seconds']:.2f} s (measured) |")
        for k, label in (("direct", "evaluate_exit (direct, per value)"), ("z3", "PointSolver.solve (z3)"),
                         ("z3_search", "PointSolver.search_equilibria (z3 only)")):
            d = p.get(k, {})
            if "per_second" in d:
                w(f"| {label} | {d['done']} | {d['seconds']:.2f} | {d['per_second']:.2f} | "
                  f"{d['extrapolated_10000_seconds']:.0f} s (extrapolated) |")
        wf = p.get("waterfall", {})
        if "per_second" in wf:
            w(f"| waterfall, one profile | {wf['calls']} | {wf['best_seconds']:.3f} | {wf['per_second']:.0f} | "
              f"{10_000 / wf['per_second']:.1f} s |")
        w("")
    sc = res.get("scale") or {}
    if sc.get("quintus_verify"):
        qv, qe, jb = sc["quintus_verify"], sc.get("quintus_cli_exit_10000") or {}, sc.get("jobs") or {}
        st = (sc.get("startup") or {}).get("best_wall_seconds")
        w("| where users feel it (one run; CPU is the figure on a shared machine) | measured | baseline in the same run | target |")
        w("|---|---|---|---|")
        w(f"| verify charters/quintus.toml --text-root ../shared --format json | {qv['best_cpu_seconds']:.2f} s CPU, "
          f"{qv['best_wall_seconds']:.2f} s wall | interpreter start + imports {st if st is not None else '-'} s wall | < 2 s |")
        qc = sc.get("quintus_verify_cached_bytecode")
        if qc:
            w(f"| - the same, the modules' bytecode cached (as installed) | {qc['best_cpu_seconds']:.2f} s CPU, "
              f"{qc['best_wall_seconds']:.2f} s wall | | < 2 s |")
        if qe:
            w(f"| verify charters/quintus.toml --exit x 10,000 | {qe['best_cpu_seconds']:.2f} s CPU, "
              f"{qe['best_wall_seconds']:.2f} s wall | evaluate_many on the same 10,000 values, in-process: "
              f"{sc.get('quintus_evaluate_many_10000_seconds')} s | < 3 s |")
        if jb:
            w(f"| verify -j 2 over the five seeds (--format json) | {jb['parallel_wall_seconds']:.2f} s wall, "
              f"{jb['parallel_cpu_seconds']:.2f} s CPU; byte-identical: {'yes' if jb['identical'] else 'NO'} | "
              f"-j 1: {jb['serial_wall_seconds']:.2f} s wall, {jb['serial_cpu_seconds']:.2f} s CPU; "
              f"wall ratio {jb['wall_ratio']:.2f} | identical |")
        w(f"| 1-minute load average before each full verify run | {qv.get('load_before', '-')} | | |")
        w("")
    qf = res.get("quintus_full")
    if qf:
        w("| Quintus full verify (--format json, bytecode cached) | median wall s | median CPU s | best wall s | best CPU s |")
        w("|---|---:|---:|---:|---:|")
        for name, what in (("ahead", "the readings in a second process (CHARTERVERIFY_AHEAD=1)"),
                           ("serial", "serial (CHARTERVERIFY_AHEAD=0)")):
            r = qf[name]
            w(f"| {what} | {r['median_wall_seconds']:.2f} | {r['median_cpu_seconds']:.2f} | "
              f"{r['best_wall_seconds']:.2f} | {r['best_cpu_seconds']:.2f} |")
        w(f"| baseline: interpreter start + imports | {qf['startup']['best_wall_seconds']:.2f} | | | |")
        w(f"| output of the two byte-identical | {'yes' if qf['identical'] else 'NO'} | | | |")
        w("")
    if res.get("targets"):
        w("| target | limit | measured | met |")
        w("|---|---|---|---|")
        for t in res["targets"]:
            w(f"| {t['target']} | {t['limit']} | {t['measured']} | {'yes' if t['met'] else 'NO'} |")
    return "\n".join(lines)


def tables_cells(t: dict | None) -> tuple[str, str]:
    """The tables worker on a synthetic charter: (kinks, intervals, evaluate_many time; the check)."""
    if not t:
        return "-", "-"
    if "seconds" not in t:
        st = t.get("status", "-")
        return ("not attempted (> 12 units)" if "not attempted" in st else st), "-"
    work = (f"build {t['build_seconds']:.2f} s, {t['kinks']} kinks, {t['intervals']} intervals; "
            f"{t['values']} values {t['seconds']:.2f} s")
    if "mismatches_with_evaluate_exit" not in t:
        return work, t.get("status", "-")
    n = t["checked_grid"] + t["checked_event_points"]
    return work, f"{t['mismatches_with_evaluate_exit']} of {n} differ"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes and samples only")
    ap.add_argument("--only", default="verify,synthetic,beside,payouts,profile,scale,late,quintus",
                    help="comma-separated parts to run (default all)")
    ap.add_argument("--sizes", help="synthetic sizes (default 5,10,14,20,40,80; --quick 5,10)")
    ap.add_argument("--output", default=str(HERE / "results.json"))
    args = ap.parse_args()
    parts = set(args.only.split(","))
    sizes = [int(x) for x in args.sizes.split(",")] if args.sizes else ([5, 10] if args.quick else [5, 10, 14, 20, 40, 80])
    t0 = time.perf_counter()
    res: dict = {
        "command": "python benchmarks/run.py" + (" --quick" if args.quick else "") + (
            f" --only {args.only}" if args.only != ap.get_default("only") else "") + (
            f" --sizes {args.sizes}" if args.sizes else ""),
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "quick": args.quick,
        "machine": machine(),
    }
    log(f"machine: {res['machine']}")
    if "verify" in parts:
        log("verify of the seeds")
        res["startup"] = bench_startup()
        res["verify"] = bench_verify(args.quick)
    if "synthetic" in parts:
        log("synthetic charters")
        if args.quick:
            res["synthetic"] = bench_synthetic(sizes, 60, 30, 30, 10, 10, quick=True)
        else:
            res["synthetic"] = bench_synthetic(sizes, 240, 120, 120, 30, 50)
    if "beside" in parts and not args.quick:  # minutes of brute force: the full run only
        log("brute force beside the analysis at 14 and 16 units")
        res["beside"] = bench_beside(300)
    if "payouts" in parts:
        log("payouts on Quintus")
        res["payouts"] = bench_payouts(args.quick)
    if "scale" in parts:
        log("where users feel it: --exit at scale, option pools")
        res["scale"] = bench_scale(args.quick)
    if "late" in parts:
        log("late-stage cap table: 15 series, 30 option tranches, 3 warrants")
        res["late"] = bench_late(args.quick)
    if "quintus" in parts:
        log("Quintus full verify: readings ahead and serial")
        res["quintus_full"] = bench_quintus_full(args.quick)
    if "profile" in parts and not args.quick:
        log("where the Quintus verify spends its time")
        res["quintus_breakdown"] = bench_quintus_breakdown()
    res["targets"] = targets(res)
    res["total_seconds"] = round(time.perf_counter() - t0, 1)
    res["load_at_end"] = [round(x, 2) for x in os.getloadavg()]
    Path(args.output).write_text(json.dumps(res, indent=2, default=str) + "\n")
    print(table(res))
    print(f"\n{len(res['targets'])} targets, {sum(t['met'] for t in res['targets'])} met; "
          f"total {res['total_seconds']} s; results in {os.path.relpath(args.output)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

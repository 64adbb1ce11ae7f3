"""Issue 15: peak memory and time of `verify` on the hostile inputs of the acceptance corpus.

Each case runs `python -m charterverify ...` as a subprocess from the repository root; peak RSS
and CPU time come from os.wait4 for that child alone (on Linux a forked child's peak RSS includes
the parent's at the fork, so this script keeps itself small: it writes its big files in chunks;
the baseline is the interpreter's own size). The bound is 1 GB of peak RSS on every
input. The model side is also measured for linearity: loading models of 0.25 to 2 MB (the
largest accepted), whose time should grow no faster than their size.

    python benchmarks/hostile.py            # all cases, results in benchmarks/hostile_results.json
    python benchmarks/hostile.py --quick    # without the 100 MB files and the seed verify

The charter-TEXT side (a text of 8 MB checked in under 10 s) is the text reader's work (branch
text-a); it is run here too, with a time limit, so its memory is on record.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
GB = 1024**3
SIMPLE = ROOT / "tests" / "charters" / "good" / "simple.toml"
TEXT_LIMIT_SECONDS = 60


def spawn(args: list[str], timeout: float = 300, stdin=subprocess.DEVNULL) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t0 = time.perf_counter()
    p = subprocess.Popen([PY, "-m", "charterverify", *args], cwd=ROOT, env=env, stdin=stdin,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    timed_out = False
    deadline = t0 + timeout
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            p.kill()
            timed_out = True
            pid, status, usage = os.wait4(p.pid, 0)
            break
        time.sleep(0.05)
    wall = time.perf_counter() - t0
    err = p.stderr.read().decode("utf-8", "replace").strip() if p.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    return {
        "exit": None if timed_out else code,
        "timed_out": timed_out,
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux: kB
        "stderr": err[:300],
    }


def model_with(padding: str) -> str:
    return SIMPLE.read_text() + padding


def model_side_linearity() -> list[dict]:
    """In-process: loading models of 0.25 to 2 MB made of many keys (22 bytes a line): TOML
    parsing, line location and validation must grow linearly with the size."""
    from charterverify.model import ModelError
    from charterverify.model.load import loads_model

    base = SIMPLE.read_text()
    rows = []
    for mb in (0.25, 0.5, 1, 2):
        n = int(mb * 1024 * 1024 / 22)
        text = base + "\n[scenario]\n" + "".join(f'key_{i:08d} = "v{i:06d}"\n' for i in range(n))
        t0 = time.perf_counter()
        try:
            loads_model(text, "m.toml")
            outcome = "loaded"
        except ModelError as e:
            outcome = str(e)[:60]
        rows.append({"megabytes": mb, "bytes": len(text), "keys": n, "seconds": round(time.perf_counter() - t0, 2),
                     "outcome": outcome})
        print(f"model of {mb} MB, {n} keys: {rows[-1]['seconds']} s ({outcome})", flush=True)
    return rows


def main() -> None:
    quick = "--quick" in sys.argv
    tmp = Path(tempfile.mkdtemp(prefix="cv-hostile-"))
    cases: list[tuple[str, list[str], dict]] = []
    try:
        cases.append(("model /dev/zero", ["/dev/zero"], {}))
        cases.append(("model /dev/urandom", ["/dev/urandom"], {}))
        fifo = tmp / "fifo.toml"
        os.mkfifo(fifo)
        cases.append(("model is a FIFO", [str(fifo)], {"timeout": 30}))
        if not quick:
            big_string = tmp / "string100mb.toml"
            with big_string.open("w") as fh:
                fh.write(SIMPLE.read_text().replace('name = "Good Simple, Inc."', 'name = "'))
                chunk = "x" * (1024 * 1024)  # in chunks: a forked child inherits the parent's peak RSS
                for _ in range(100):
                    fh.write(chunk)
            cases.append(("model with a 100 MB string", [str(big_string)], {}))
            big_array = tmp / "array100mb.toml"
            with big_array.open("w") as fh:
                fh.write(SIMPLE.read_text() + "\n[readings]\nnote = [")
                chunk = "1," * (512 * 1024)
                for _ in range(100):
                    fh.write(chunk)
                fh.write("]\n")
            cases.append(("model with a 100 MB array", [str(big_array)], {}))
        long_note = tmp / "note100k.toml"
        long_note.write_text(model_with('\n[readings]\nnote = "' + "n" * 100_000 + '"\n'))
        cases.append(("model with a 100,000-character string (accepted)", [str(long_note), "--no-properties"], {}))
        many = tmp / "array10k.toml"
        many.write_text(model_with("\n[readings]\nnote = [" + ",".join(["1"] * 10_001) + "]\n"))
        cases.append(("model with a 10,001-entry array", [str(many)], {}))
        for mb in (0.25, 0.5, 1, 2):
            p = tmp / f"pad{mb}.toml"
            body = model_with("")
            pad = int(mb * 1024 * 1024) - len(body.encode()) - 64
            p.write_text(body + "\n" + "\n".join("# " + "c" * 78 for _ in range(pad // 81)) + "\n")
            cases.append((f"model of {mb} MB (comments), loaded", [str(p), "--exit", "1000", "--format", "json"], {}))
        cases.append(("--text /dev/zero", [str(SIMPLE), "--text", "/dev/zero", "--no-properties"], {}))
        cases.append(("source.text /proc/self/mem", [str(SIMPLE), "--text", "/proc/self/mem", "--no-properties"], {}))
        text8 = tmp / "text8mb.txt"
        para = "1. The Corporation shall have [TBD] directors, as set forth in Section 2 hereof.\n"
        with text8.open("w") as fh:
            fh.write("ARTICLE I\n\n")
            for _ in range(8 * 1024 * 1024 // len(para)):
                fh.write(para)
        cases.append(("charter text of 8 MB (text side: branch text-a)",
                      ["--text-only", str(text8)], {"timeout": TEXT_LIMIT_SECONDS}))
        if not quick:
            cases.append(("quintus seed, full verify", ["charters/quintus.toml", "--text-root", str(ROOT.parent / "shared")],
                          {}))
        results = []
        for name, args, kw in cases:
            r = {"case": name, **spawn(args, **kw)}
            results.append(r)
            print(f"{name:55} exit={r['exit']!s:5} wall={r['wall_seconds']:7}s cpu={r['cpu_seconds']:7}s "
                  f"rss={r['peak_rss_mb']:8} MB", flush=True)
        linear = model_side_linearity()
        doc = {
            "model_side_linearity": linear,
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                        "load_avg_1m": round(os.getloadavg()[0], 2)},
            "bound_peak_rss_mb": GB // (1024 * 1024),
            "all_under_bound": all(r["peak_rss_mb"] < GB / (1024 * 1024) for r in results),
            "results": results,
        }
        out = ROOT / "benchmarks" / ("hostile_results_quick.json" if quick else "hostile_results.json")
        out.write_text(json.dumps(doc, indent=2) + "\n")
        print(f"written {out.relative_to(ROOT)}; all under 1 GB: {doc['all_under_bound']}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()

"""Benchmark of the text checks: do they scale linearly in the size of the text?

    python benchmarks/text.py                   # 1, 2, 4, 8 MB of gitlab.txt repeated, the corpus, verify --text-only
    python benchmarks/text.py --sizes 1,2 --source ../shared/corpus/tesaro.txt

What it measures (docs/performance.md, "Text checks", has the numbers and the targets):

1. `charterverify.text.check_text` (outline, references, terms, lists, placeholders, economics) on a text
   made in memory by repeating a corpus charter until it reaches 1, 2, 4 and 8 MB, each size in its own
   process: CPU seconds, wall seconds, seconds per MB, findings. Linear time means a flat s/MB column.
   The generated text is never written to disk (and never committed: the corpus stays in ../shared).
2. The whole corpus: check_text on each of the charters in ../shared/corpus, CPU seconds in total.
3. `python -m charterverify --text-only <source>` as a subprocess: wall time including interpreter start
   and imports, best of 3.

A benchmark, not a test: nothing fails on a slow number. Timings under load (the 1-minute load average
is printed) are longer.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT.parent / "shared" / "corpus"
TARGET_8MB_CPU = 10.0  # issue 15: "the text checks run in time linear in the text: 8 MB in under 10 s"
TARGET_VERIFY_WALL = 2.0


def _load() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def _text_of(source: Path, mb: float) -> str:
    unit = source.read_text(encoding="utf-8")
    if not unit.endswith("\n"):
        unit += "\n"
    want = int(mb * 1024 * 1024)
    return unit * (want // len(unit) + 1)


def worker(source: Path, mb: float) -> dict:
    """One size, in this process: build the text in memory, run check_text once."""
    sys.path.insert(0, str(ROOT))
    from charterverify.text import check_text

    text = _text_of(source, mb)
    c0, w0 = time.process_time(), time.perf_counter()
    findings = check_text(Path(source.name), text=text)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    size = len(text.encode("utf-8")) / (1024 * 1024)
    return {"mb": round(size, 2), "cpu_s": round(cpu, 2), "wall_s": round(wall, 2),
            "cpu_s_per_mb": round(cpu / size, 3), "findings": len(findings)}


def corpus_worker() -> dict:
    sys.path.insert(0, str(ROOT))
    from charterverify.text import check_text

    files = sorted(CORPUS.glob("*.txt"))
    c0 = time.process_time()
    n = sum(len(check_text(f)) for f in files)
    cpu = time.process_time() - c0
    size = sum(f.stat().st_size for f in files) / (1024 * 1024)
    return {"files": len(files), "mb": round(size, 2), "cpu_s": round(cpu, 2), "findings": n}


def _sub(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, str(Path(__file__).resolve())] + args, cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,2,4,8", help="sizes in MB (default 1,2,4,8)")
    ap.add_argument("--source", default=str(CORPUS / "gitlab.txt"), help="the charter repeated (default gitlab.txt)")
    ap.add_argument("--worker", type=float, help=argparse.SUPPRESS)
    ap.add_argument("--corpus-worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    source = Path(args.source).resolve()
    if args.worker is not None:
        print(json.dumps(worker(source, args.worker)))
        return 0
    if args.corpus_worker:
        print(json.dumps(corpus_worker()))
        return 0
    if not source.is_file():
        print(f"benchmarks/text.py: no such charter text: {source}", file=sys.stderr)
        return 2

    print(f"check_text on {source.name} repeated in memory (one process per size; load {_load():.1f})")
    print(f"{'MB':>6} {'CPU s':>7} {'wall s':>7} {'CPU s/MB':>9} {'findings':>9}")
    for mb in [float(x) for x in args.sizes.split(",")]:
        r = _sub(["--worker", str(mb), "--source", str(source)])
        print(f"{r['mb']:>6} {r['cpu_s']:>7} {r['wall_s']:>7} {r['cpu_s_per_mb']:>9} {r['findings']:>9}")
    print(f"target: 8 MB under {TARGET_8MB_CPU:.0f} s CPU (load after {_load():.1f})")

    if CORPUS.is_dir():
        r = _sub(["--corpus-worker"])
        print(f"\ncorpus: {r['files']} charters, {r['mb']} MB: check_text {r['cpu_s']} s CPU in all, "
              f"{r['findings']} findings")

    walls = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "charterverify", "--text-only", str(source)], cwd=ROOT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - t)
    print(f"\npython -m charterverify --text-only {source.name}: {min(walls):.2f} s wall, best of 3 "
          f"(target under {TARGET_VERIFY_WALL:.0f} s, interpreter start included; load {_load():.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`verify -j N`: independent charters checked in parallel processes, the output as the serial run's.

`in_order(fn, items, jobs)` calls `fn(item)` for every item, in up to `jobs` worker processes,
and returns the results in the order of the items, so the caller renders exactly what the serial
loop renders. What a call writes to stderr (`verify: wrote DIR/ID.md, ...`) is captured in the
worker and written by the parent in the items' order too. An exception is raised in the parent as
the serial loop would raise it: the first one in the items' order (the calls after it may have run,
since they run at the same time; their results are dropped).

The workers are forked where the platform can (the parent's imports are inherited, no start-up
per worker); elsewhere they are spawned, and `fn` and the items must pickle (a `Charter` does).
Each worker process runs one item at a time; the items go to the workers in order.
"""

from __future__ import annotations

import io
import sys
from typing import Any, Callable, Sequence

MAX_JOBS = 64


def parse_jobs(text: str) -> int:
    """`-j N`: a whole number of processes from 1 to MAX_JOBS (ValueError with the reason)."""
    t = str(text).strip()
    if not t.isdigit() or not 1 <= int(t) <= MAX_JOBS:
        raise ValueError(f"-j takes a number of processes from 1 to {MAX_JOBS}, got {text!r}")
    return int(t)


def _captured(call: tuple[Callable[[Any], Any], Any]) -> tuple[Any, str]:
    """In the worker: the call's result and what it wrote to stderr."""
    fn, item = call
    saved, sys.stderr = sys.stderr, io.StringIO()
    try:
        result = fn(item)
        return result, sys.stderr.getvalue()
    finally:
        sys.stderr = saved


def _context():
    import multiprocessing  # here, not at import: a serial run (-j 1) starts no process

    try:
        return multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform
        return multiprocessing.get_context("spawn")


def in_order(fn: Callable[[Any], Any], items: Sequence[Any], jobs: int) -> list[Any]:
    """[fn(item) for item in items], computed in up to `jobs` processes (serially when jobs is 1 or
    there is one item)."""
    if jobs <= 1 or len(items) <= 1:
        return [fn(item) for item in items]
    from concurrent.futures import ProcessPoolExecutor

    sys.stderr.flush()
    with ProcessPoolExecutor(max_workers=min(jobs, len(items)), mp_context=_context()) as pool:
        futures = [pool.submit(_captured, (fn, item)) for item in items]
        out = []
        try:
            for f in futures:  # in order: the first failure in order is the one raised
                result, err = f.result()
                if err:
                    sys.stderr.write(err)
                    sys.stderr.flush()
                out.append(result)
        except BaseException:
            for f in futures:
                f.cancel()  # the items not started yet: the serial run would not have reached them
            raise
        return out

"""Solver sessions with a deterministic resource limit (rlimit), never wall-clock timeouts."""

from __future__ import annotations

from dataclasses import dataclass

import z3

DEFAULT_RLIMIT = 50_000_000
# dominance queries (solver/dominance.py): an unknown there only leaves a unit free, so they
# give up sooner; never more than the limit in force (the caller's or the default above)
DOMINANCE_RLIMIT = 20_000_000
_rlimit = DEFAULT_RLIMIT


def set_default_rlimit(n: int) -> None:
    global _rlimit
    _rlimit = int(n)


def default_rlimit() -> int:
    return _rlimit


def new_solver(rlimit: int | None = None) -> z3.Solver:
    s = z3.Solver()
    s.set("rlimit", int(rlimit if rlimit is not None else _rlimit))
    return s


@dataclass(frozen=True)
class Outcome:
    status: str  # "sat" | "unsat" | "unknown"
    reason: str | None = None


def check(s: z3.Solver, *assumptions) -> Outcome:
    r = s.check(*assumptions)
    if r == z3.sat:
        return Outcome("sat")
    if r == z3.unsat:
        return Outcome("unsat")
    return Outcome("unknown", s.reason_unknown() or "unknown")

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
    limited(s, rlimit if rlimit is not None else _rlimit)
    return s


def limited(s: z3.Solver, rlimit: int) -> z3.Solver:
    """Set a solver's per-query resource limit (remembered, so a budget can lower it for one query)."""
    s.set("rlimit", int(rlimit))
    s._cv_rlimit = int(rlimit)
    return s


def _solver_limit(s: z3.Solver) -> int:
    return getattr(s, "_cv_rlimit", _rlimit)


@dataclass(frozen=True)
class Outcome:
    status: str  # "sat" | "unsat" | "unknown"
    reason: str | None = None


class Budget:
    """A deterministic budget for one analysis (`verify --budget`): the z3 work of all its queries
    together (z3's resource counter, what rlimit limits) and the number of pieces proved. Never
    wall-clock. None: no limit of that kind."""

    def __init__(self, rlimit: int | None = None, pieces: int | None = None):
        self.rlimit = rlimit
        self.pieces = pieces
        self.spent = 0  # z3 resource units used by the queries so far
        self.proved = 0  # pieces proved so far

    def remaining(self) -> int | None:
        return None if self.rlimit is None else max(0, self.rlimit - self.spent)

    def exhausted(self) -> str | None:
        """Why no more proofs are attempted, or None while the budget lasts."""
        if self.rlimit is not None and self.spent >= self.rlimit:
            return f"budget exhausted (z3 work {self.spent:,} of rlimit={self.rlimit:,})"
        if self.pieces is not None and self.proved >= self.pieces:
            return f"budget exhausted ({self.proved} of pieces={self.pieces} proved)"
        return None

    def describe(self) -> dict:
        return {"rlimit": self.rlimit, "pieces": self.pieces, "rlimit_spent": self.spent,
                "pieces_proved": self.proved, "exhausted": self.exhausted()}


# the budget in force for the analysis being run (set by Sweep.run; None: unlimited)
_budget: Budget | None = None
_default_budget: tuple[int | None, int | None] | None = None


def set_default_budget(rlimit: int | None, pieces: int | None) -> None:
    """The budget every analysis starts with (`verify --budget`); (None, None) or None: none."""
    global _default_budget
    _default_budget = None if (rlimit is None and pieces is None) else (rlimit, pieces)


def default_budget() -> tuple[int | None, int | None] | None:
    return _default_budget


def use_budget(b: Budget | None) -> Budget | None:
    """Make b the budget z3 queries are counted against; returns the previous one."""
    global _budget
    prev, _budget = _budget, b
    return prev


def _count(s: z3.Solver) -> int:
    st = s.statistics()
    return int(st.get_key_value("rlimit count")) if "rlimit count" in st.keys() else 0


def check(s: z3.Solver, *assumptions) -> Outcome:
    b = _budget
    if b is not None and b.rlimit is not None:
        left = b.remaining()
        if not left:
            return Outcome("unknown", b.exhausted())
        before = _count(s)
        # this query may use at most what is left (the limit is per check, from the counter's value)
        own = _solver_limit(s)
        s.set("rlimit", int(min(left, own)))
        try:
            r = s.check(*assumptions)
        finally:
            s.set("rlimit", int(own))
        b.spent += _count(s) - before
        if r == z3.unknown and b.exhausted():
            return Outcome("unknown", b.exhausted())
    else:
        r = s.check(*assumptions)
    if r == z3.sat:
        return Outcome("sat")
    if r == z3.unsat:
        return Outcome("unsat")
    return Outcome("unknown", s.reason_unknown() or "unknown")

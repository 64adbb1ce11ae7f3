"""z3 sessions, exact value extraction, breakpoint and equilibrium search."""

from .point import PointSolver, SolverError, solve_exit

__all__ = ["PointSolver", "SolverError", "solve_exit"]

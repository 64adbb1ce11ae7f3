"""The `verify` command (alias `charterverify`).

Exit status: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage or
input error; 3 an internal error (a bug: please report it).
"""

from __future__ import annotations

import argparse
import json
import sys
from fractions import Fraction
from pathlib import Path

from .model import ModelError, format_exact, load_model, parse_exact

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
FORMATS = ("text", "json", "markdown", "sarif", "junit", "github")


class UsageError(Exception):
    """Bad command-line input: one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2, no usage dump
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="verify",
        description="Prove or refute the liquidation and conversion economics of charter models.",
    )
    p.add_argument("charters", nargs="*", metavar="CHARTER.toml", help="charter model(s) to check")
    p.add_argument("--exit", dest="exits", action="append", default=[], metavar="VALUE",
                   help="an exit value (repeatable): print every holder's exact payout there")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format (default text)")
    p.add_argument("--breakpoints", action="store_true", help="every exit value where a payout changes slope or jumps")
    p.add_argument("--symbolic", action="store_true", help="also print breakpoints as formulas of the cap table")
    p.add_argument("--report", metavar="DIR", help="write DIR/ID.md, DIR/ID.html and DIR/ID.json")
    p.add_argument("--fail-on", choices=("error", "warning", "info"), default="error",
                   help="lowest finding severity that fails the run (default error)")
    p.add_argument("--rlimit", type=int, metavar="N", help="z3 resource limit per query (deterministic)")
    p.add_argument("--text", dest="text_path", metavar="PATH", help="charter text to check with the model")
    p.add_argument("--text-only", metavar="PATH", help="check a charter text without a model")
    p.add_argument("--outline", metavar="PATH", help="print the clause outline of a charter text")
    p.add_argument("--diff", nargs=2, metavar=("OLD.toml", "NEW.toml"), help="economic redline of two drafts")
    p.add_argument("--no-properties", action="store_true", help="skip the property proofs")
    p.add_argument("--version", action="store_true", help="print the version")
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        return _run(argv if argv is not None else sys.argv[1:])
    except UsageError as e:
        _err(str(e))
        return EXIT_USAGE
    except ModelError as e:
        _err(str(e))
        return EXIT_USAGE
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as e:  # never a traceback for the user
        _err(f"internal error (please report): {type(e).__name__}: {e}")
        return EXIT_INTERNAL


def _err(msg: str) -> None:
    msg = " ".join(str(msg).split())
    print(f"verify: error: {msg}", file=sys.stderr)


def _exit_values(texts: list[str]) -> list[Fraction]:
    out = []
    for t in texts:
        try:
            v = parse_exact(t)
        except (ValueError, ArithmeticError):
            raise UsageError(f"--exit {t!r}: not a number (write e.g. 100000000 or 1.5e8)") from None
        if v < 0:
            raise UsageError(f"--exit {t!r}: an exit value cannot be negative")
        if v > 10**18:
            raise UsageError(f"--exit {t!r}: implausibly large (more than 10^18)")
        out.append(v)
    return out


def _run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    if args.version:
        from . import __version__

        print(f"charterverify {__version__}")
        return EXIT_OK
    if args.rlimit is not None:
        if args.rlimit <= 0:
            raise UsageError("--rlimit must be a positive number")
        from .solver.session import set_default_rlimit

        set_default_rlimit(args.rlimit)
    exits = _exit_values(args.exits)
    if not args.charters:
        raise UsageError("name at least one charter model (e.g. verify charters/quintus.toml)")
    models = [load_model(c) for c in args.charters]
    out = sys.stdout
    if exits:
        from .report.payouts import payouts_json, payouts_text
        from .solver import PointSolver

        docs = []
        for m in models:
            ps = PointSolver(m)
            results = [ps.solve(E) for E in exits]
            docs.append((m, results))
        if args.format == "json":
            body = [payouts_json(m, rs) for m, rs in docs]
            out.write(json.dumps(body[0] if len(body) == 1 else body, indent=2) + "\n")
        else:
            for m, rs in docs:
                out.write(payouts_text(m, rs))
        return EXIT_OK
    from .report.payouts import summary_json, summary_text

    if args.format == "json":
        body = [summary_json(m) for m in models]
        out.write(json.dumps(body[0] if len(body) == 1 else body, indent=2) + "\n")
    else:
        for m in models:
            out.write(summary_text(m))
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

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


from .solver.point import SolverError as SolverGaveUp  # noqa: E402


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
    p.add_argument("--issue", metavar="SHARES@PRICE",
                   help="a new issuance (anti-dilution): new conversion prices, then everything else on the adjusted model")
    p.add_argument("--excluded", nargs="?", const=True, default=False, metavar="ID",
                   help="with --issue: the issuance is carved out (optionally: which carve-out)")
    p.add_argument("--split", metavar="FACTOR", help="a stock split (2, 3:1) or combination (1:10) before the rest")
    p.add_argument("--ipo", metavar="PRICE", help="a public offering at this price per share (needs --raise)")
    p.add_argument("--raise", dest="raise_amount", metavar="AMOUNT", help="with --ipo: the aggregate proceeds")
    p.add_argument("--filed", metavar="WHEN",
                   help="with --ipo: when the registration was filed (200d, 13m, or a date) for filing-date ratchets")
    p.add_argument("--valuation", choices=("pre_money", "post_money"), default="pre_money",
                   help="with --ipo: how a valuation threshold is measured (default pre_money)")
    p.add_argument("--version", action="store_true", help="print the version")
    return p


def main(argv: list[str] | None = None) -> int:
    from .solver.session import default_rlimit, set_default_rlimit

    saved = default_rlimit()
    try:
        return _run(argv if argv is not None else sys.argv[1:])
    except UsageError as e:
        _err(str(e))
        return EXIT_USAGE
    except ModelError as e:
        _err(str(e))
        return EXIT_USAGE
    except SolverGaveUp as e:
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
    finally:
        set_default_rlimit(saved)  # --rlimit is for this run only (main is also called in-process)


def _err(msg: str) -> None:
    msg = " ".join(str(msg).split())
    print(f"verify: error: {msg}", file=sys.stderr)


def _exit_values(texts: list[str]) -> list[Fraction]:
    out = []
    for t in texts:
        try:
            v = parse_exact(t)
        except (ValueError, ArithmeticError) as e:
            if "large" in str(e):
                raise UsageError(f"--exit {t!r}: implausibly large (more than 10^18)") from None
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
    from .findings import Severity

    fail_on = Severity.parse(args.fail_on)
    exits = _exit_values(args.exits)
    out = sys.stdout
    if args.outline:
        from .text import load_outline, render_outline

        out.write(render_outline(load_outline(_readable(args.outline))) + "\n")
        return EXIT_OK
    if args.text_only:
        from .report.runs import CharterRun
        from .text import check_text

        path = _readable(args.text_only)
        findings = check_text(path)
        run = CharterRun(Path(path).stem, str(path), tuple(findings), _text_rules(), fail_on)
        return _emit_findings([run], args.format, out)
    if args.diff:
        return _diff(args, out)
    if not args.charters:
        raise UsageError("name at least one charter model (e.g. verify charters/quintus.toml)")
    models = [load_model(c) for c in args.charters]
    if args.text_path and len(models) != 1:
        raise UsageError("--text goes with exactly one charter model")
    if args.ipo is not None or args.raise_amount is not None:
        return _ipo(models, args, out)
    if args.split is not None or args.issue is not None:
        adjusted = [_scenario(m, args, out) for m in models]
        models = [m for m, _ in adjusted]
        if args.format == "json" and not exits and not args.breakpoints:
            body = [{"charter": m.id, "adjustments": docs} for m, docs in adjusted]
            out.write(json.dumps(body[0] if len(body) == 1 else body, indent=2, default=str) + "\n")
            return EXIT_OK
    if exits:
        return _payouts(models, exits, args.format, out)
    if args.breakpoints and args.format in ("text", "json"):
        return _breakpoints(models, args, out)

    from .report.runs import CharterRun

    runs = []
    show_progress = args.format == "text" and sys.stderr.isatty()
    for m in models:
        findings, rules, analysis = _check(m, args, show_progress)
        runs.append(CharterRun(m.id, m.path, tuple(findings), tuple(rules), fail_on))
        if args.report:
            _write_report(m, analysis, findings, args.report)
        if args.format == "text":
            from .report.payouts import summary_text

            out.write(summary_text(m, analysis))
            if args.breakpoints and analysis is not None:
                from .report.breakpoints import breakpoints_text

                out.write(breakpoints_text(analysis))
    return _emit_findings(runs, args.format, out)


def _scenario(model, args, out):
    """Apply --split and --issue; print the adjustment; return the adjusted model."""
    from dataclasses import replace

    from . import antidilution as ad

    docs = []
    try:
        if args.split is not None:
            res = ad.apply_split(model, ad.parse_factor(args.split))
            texts, model = [ad.split_text(res)], res.model
            docs.append({"split": res.to_json()})
        else:
            texts = []
        if args.issue is not None:
            shares, price = ad.parse_issue(args.issue)
            res = ad.apply_issuance(model, shares, price, args.excluded)
            texts.append(ad.issuance_text(res))
            docs.append({"issuance": res.to_json()})
            model = res.model
    except ValueError as e:
        raise UsageError(str(e)) from None
    if args.format == "text":
        for t in texts:
            out.write(t.rstrip("\n") + "\n\n")
    # the text checks belong to the charter as written, not to the derived prices
    return replace(model, text_path=None), docs


def _ipo(models, args, out) -> int:
    from . import ipo as ipo_mod

    if args.ipo is None or args.raise_amount is None:
        raise UsageError("--ipo PRICE and --raise AMOUNT go together")
    try:
        price, amount = parse_exact(args.ipo), parse_exact(args.raise_amount)
    except (ValueError, ArithmeticError):
        raise UsageError("--ipo and --raise take amounts (e.g. --ipo 12.50 --raise 40000000)") from None
    if price <= 0 or amount < 0:
        raise UsageError("--ipo must be positive and --raise not negative")
    docs = []
    try:
        for m in models:
            res = ipo_mod.ipo(m, price, amount, args.filed, valuation=args.valuation)
            bps = ipo_mod.ipo_price_breakpoints(m, amount, args.filed, valuation=args.valuation) if args.breakpoints else None
            docs.append((m, res, bps))
    except ValueError as e:
        raise UsageError(str(e)) from None
    if args.format == "json":
        body = []
        for m, res, bps in docs:
            d = {"charter": m.id, **res.to_json()}
            if bps is not None:
                d["ipo_price_breakpoints"] = [b.to_json() for b in bps]
            body.append(d)
        out.write(json.dumps(body[0] if len(body) == 1 else body, indent=2, default=str) + "\n")
    else:
        for m, res, bps in docs:
            out.write(ipo_mod.ipo_text(res).rstrip("\n") + "\n")
            if bps is not None:
                out.write(ipo_mod.ipo_breakpoints_text(bps).rstrip("\n") + "\n")
    return EXIT_OK


def _readable(path: str) -> str:
    p = Path(path)
    if not p.exists():
        raise UsageError(f"{path}: no such file")
    if p.is_dir():
        raise UsageError(f"{path}: is a directory")
    try:
        p.read_bytes()
    except OSError as e:
        raise UsageError(f"{path}: cannot read ({e.strerror})") from None
    return path


def _text_rules() -> list[str]:
    try:
        from .text.rules import RULES

        return sorted(RULES)
    except ImportError:
        return ["text"]


def _check(model, args, show_progress: bool):
    """Text checks, then the breakpoint analysis and the properties; returns findings, rules, analysis."""
    findings = []
    rules: list[str] = []
    text_path = Path(args.text_path) if args.text_path else model.text_path
    if text_path is not None:
        from .text import check_text, check_traceability

        if not text_path.is_file():
            raise UsageError(f"{model.path}: the charter text {text_path} does not exist")
        findings += check_text(text_path)
        findings += check_traceability(list(model.numbers()), text_path)
        rules += _text_rules()
    analysis = None
    if not args.no_properties or args.report or args.breakpoints:
        analysis = _analyze(model, show_progress)
    if not args.no_properties:
        try:
            from .properties import check_all
        except ImportError:
            check_all = None
        if check_all is not None:
            for res in check_all(model, analysis):
                rules.append(res.rule)
                findings += list(res.findings)
    return findings, sorted(set(rules)), analysis


def _analyze(model, show_progress: bool):
    from .solver.breakpoints import analyze

    if not show_progress:
        return analyze(model)
    from rich.console import Console

    with Console(stderr=True).status(f"Proving the breakpoints of {model.id}…"):
        return analyze(model)


def _emit_findings(runs, fmt: str, out) -> int:
    from .report.runs import exit_status

    if fmt == "sarif":
        from .report.sarif import render_sarif

        out.write(render_sarif(runs))
    elif fmt == "junit":
        from .report.junit import render_junit

        out.write(render_junit(runs))
    elif fmt == "github":
        from .report.github import append_step_summary, render_github, render_step_summary

        out.write(render_github(runs))
        append_step_summary(render_step_summary(runs))
    elif fmt == "json":
        body = [{"charter": r.charter_id, "file": r.model_path, "checked": list(r.checked_rules),
                 "findings": [f.to_json() for f in r.located_findings()]} for r in runs]
        out.write(json.dumps(body[0] if len(body) == 1 else body, indent=2) + "\n")
    elif fmt == "markdown":
        from .report.github import render_step_summary

        out.write(render_step_summary(runs))
    else:
        for r in runs:
            located = r.located_findings()
            for f in located:
                where = f"{f.file}:{f.line}" if f.line else f"{f.file}"
                clause = f" ({f.clause})" if f.clause else ""
                out.write(f"{where}: {f.severity.label}: {f.message}{clause} [{f.rule}]\n")
            failing = len(r.failing())
            out.write(f"{r.charter_id}: {len(located)} finding(s), {failing} at or above {r.fail_on.label}\n")
    return exit_status(runs)


def _payouts(models, exits, fmt, out) -> int:
    from .report.payouts import payouts_json, payouts_text
    from .solver import PointSolver

    docs = []
    for m in models:
        ps = PointSolver(m)
        docs.append((m, [ps.solve(E) for E in exits]))
    if fmt == "json":
        body = [payouts_json(m, rs) for m, rs in docs]
        out.write(json.dumps(body[0] if len(body) == 1 else body, indent=2) + "\n")
    else:
        for m, rs in docs:
            out.write(payouts_text(m, rs))
    return EXIT_OK


def _breakpoints(models, args, out) -> int:
    from .report.breakpoints import breakpoints_json, breakpoints_text

    show_progress = args.format == "text" and sys.stderr.isatty()
    docs = [(m, _analyze(m, show_progress)) for m in models]
    if args.report:
        for m, an in docs:
            _write_report(m, an, [], args.report)
    if args.format == "json":
        body = []
        for m, an in docs:
            d = breakpoints_json(an)
            if args.symbolic:
                _add_formulas(an, d)
            body.append(d)
        out.write(json.dumps(body[0] if len(body) == 1 else body, indent=2) + "\n")
    else:
        for m, an in docs:
            out.write(breakpoints_text(an))
            if args.symbolic:
                out.write(_formulas_text(an))
    return EXIT_OK


def _formulas_text(an) -> str:
    try:
        from .solver.formulas import breakpoint_formulas
    except ImportError:
        raise UsageError("--symbolic is not available in this version") from None
    lines = ["Breakpoints as formulas of the cap table (symbols: common_outstanding, outstanding_<series>,",
             "dividends_<series>, pool_<id>):"]
    for b, f in zip(an.breakpoints, breakpoint_formulas(an)):
        lines.append(f"  {format_exact(b.x)} = {f}")
    return "\n".join(lines) + "\n"


def _add_formulas(an, d) -> None:
    try:
        from .solver.formulas import breakpoint_formulas, crossover_formulas
    except ImportError:
        raise UsageError("--symbolic is not available in this version") from None
    for bp, f in zip(d["breakpoints"], breakpoint_formulas(an)):
        bp["formula"] = f
    cross = crossover_formulas(an)
    for c in d.get("crossovers", []):
        if c.get("unit") in cross:
            c["formula"] = cross[c["unit"]]


def _write_report(model, analysis, findings, out_dir: str) -> None:
    try:
        from .report.document import write_report
    except ImportError:
        raise UsageError("--report is not available in this version") from None
    d = Path(out_dir)
    if d.exists() and not d.is_dir():
        raise UsageError(f"--report {out_dir}: exists and is not a directory")
    d.mkdir(parents=True, exist_ok=True)
    write_report(analysis, d, findings=findings)


def _diff(args, out) -> int:
    old, new = (load_model(p) for p in args.diff)
    try:
        from .diff import diff, diff_exit_status, diff_markdown
    except ImportError:
        raise UsageError("--diff is not available in this version") from None
    from .properties import check_all
    from .solver.breakpoints import analyze

    ao, an = analyze(old), analyze(new)
    fo = [f for r in check_all(old, ao) for f in r.findings]
    fn = [f for r in check_all(new, an) for f in r.findings]
    d = diff(old, new, ao, an, fo, fn)
    if args.format == "json":
        out.write(json.dumps(d, indent=2, default=str) + "\n")
    else:
        out.write(diff_markdown(d))
    return diff_exit_status(d)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

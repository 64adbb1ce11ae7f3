"""The `verify` command (alias `charterverify`).

Exit status: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage or
input error, or the output could not be written; 3 an internal error (a bug: please report
it); 130 interrupted.

The whole output is rendered first and the exit status decided; only then is it written, so a
reader that goes away (EPIPE), a full disk (ENOSPC) or a closed stdout gives exit 2 with one line
on stderr, never 0 (docs/ci.md).
"""

from __future__ import annotations

import argparse
import errno
import io
import json
import os
import sys
from fractions import Fraction
from pathlib import Path

from .model import ModelError, format_exact, load_model, parse_exact
from .report import escape

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
FORMATS = ("text", "json", "markdown", "csv", "sarif", "junit", "github")
FINDING_FORMATS = ("sarif", "junit", "github")  # findings only: no payouts, no breakpoints


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
    p.add_argument("--rlimit", metavar="N", help="z3 resource limit per query (deterministic), 1 to 4294967295")
    p.add_argument("--budget", metavar="rlimit=N,pieces=M",
                   help="a deterministic budget per analysis of a large charter: z3 work in total and/or pieces "
                        "proved; when it runs out the answer is partial (proved and unknown exit ranges)")
    p.add_argument("--text", dest="text_path", metavar="PATH", help="charter text to check with the model")
    p.add_argument("--text-root", dest="text_roots", action="append", default=[], metavar="DIR",
                   help="a directory charter texts may also be read from (repeatable; by default only the "
                        "repository or directory tree that holds the model)")
    p.add_argument("--text-only", metavar="PATH", help="check a charter text without a model")
    p.add_argument("--outline", metavar="PATH", help="print the clause outline of a charter text")
    p.add_argument("--diff", nargs=2, metavar=("OLD", "NEW"),
                   help="redline of two drafts: two models (.toml; terms, findings, payouts) or two charter texts (clauses, findings)")
    p.add_argument("--no-properties", action="store_true", help="skip the property proofs")
    p.add_argument("--date", metavar="YYYY-MM-DD",
                   help="the exit date: accruing dividends are added to the preferences as of it "
                        "(default: the model's scenario.date)")
    p.add_argument("--redeem", metavar="YYYY-MM-DD",
                   help="a redemption scenario: the holders who may require redemption on this date are paid "
                        "before the waterfall")
    p.add_argument("--reading", dest="readings", action="append", default=[], metavar="KEY=VALUE",
                   help="take another reading of the text (e.g. votes_in_sale=true; see [readings])")
    p.add_argument("--issue", metavar="SHARES@PRICE",
                   help="a new issuance (anti-dilution): new conversion prices, then everything else on the adjusted model")
    p.add_argument("--excluded", nargs="?", const=True, default=False, metavar="ID",
                   help="with --issue: the issuance is carved out (optionally: which carve-out)")
    p.add_argument("--split", metavar="FACTOR", help="a stock split (2, 3:1) or combination (1:10) before the rest")
    p.add_argument("--ipo", metavar="PRICE", help="a public offering at this price per share (needs --raise)")
    p.add_argument("--raise", dest="raise_amount", metavar="AMOUNT", help="with --ipo: the aggregate proceeds")
    p.add_argument("--filed", metavar="WHEN",
                   help="with --ipo: when the registration was filed (200d, 13m, or a date) for filing-date ratchets")
    p.add_argument("--valuation", choices=("pre_money", "post_money"), default=None,
                   help="with --ipo: how a valuation threshold is measured (default pre_money)")
    p.add_argument("--draft", metavar="TEXT", help="draft a model (TOML) from a charter text, citing each value")
    p.add_argument("-o", "--output", metavar="MODEL.toml", help="with --draft: write the model here (default stdout)")
    p.add_argument("--force", action="store_true", help="with --draft -o: overwrite an existing file")
    p.add_argument("--captable", metavar="FILE", help="with --draft: TOML with common_outstanding = N")
    p.add_argument("--verbose", "-v", action="store_true",
                   help="text output: also restate the model (preference stack, participation, readings)")
    p.add_argument("--explain", metavar="TERM", help="explain a term of the output (equilibria, cap_dropout, ...)")
    p.add_argument("--version", action="store_true", help="print the version")
    p.add_argument("-j", "--jobs", type=_jobs, default=1, metavar="N",
                   help="check up to N charters at once, each in its own process (default 1); the output "
                        "is the same as one at a time, in the order the charters are named")
    return p


def _jobs(text: str) -> int:
    from .jobs import parse_jobs

    try:
        return parse_jobs(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def main(argv: list[str] | None = None) -> int:
    from .solver.session import default_rlimit, set_default_rlimit

    saved = default_rlimit()
    _ANNOTATIONS.clear()
    out = io.StringIO()  # the whole output, written only once the exit status is decided
    fmt = "text"
    try:
        argv, exit_texts = _split_exits(list(argv if argv is not None else sys.argv[1:]))
        args = build_parser().parse_args(argv)
        args.exits = exit_texts + args.exits
        fmt = args.format
        status = _run(args, out)
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
    except Exception as e:  # never a traceback for the user
        _err(f"internal error (please report): {type(e).__name__}: {e}")
        return EXIT_INTERNAL
    finally:
        set_default_rlimit(saved)  # --rlimit is for this run only (main is also called in-process)
        from .solver.session import set_default_budget

        set_default_budget(None, None)  # so is --budget
    return _write_stdout(out.getvalue(), fmt, status)


def _write_stdout(text: str, fmt: str, status: int) -> int:
    """Write the rendered output; a failed write (EPIPE, ENOSPC, closed stdout) is exit 2."""
    text = escape.guard_stream_text(text, allowed_commands=_ANNOTATIONS, json=(fmt in ("json", "sarif")))
    try:
        if sys.stdout is None:
            raise OSError(errno.EBADF, "stdout is closed")
        if hasattr(sys.stdout, "reconfigure"):  # a non-UTF-8 stdout shows what it cannot encode as escapes
            sys.stdout.reconfigure(errors="backslashreplace")
        sys.stdout.write(text)
        sys.stdout.flush()
    except (OSError, ValueError) as e:  # ValueError: I/O operation on a closed file
        _silence_stdout()
        reason = e.strerror if isinstance(e, OSError) and e.strerror else "stdout is closed"
        what = " (a finding reached --fail-on: the check FAILED)" if status == EXIT_FINDINGS else ""
        _err(f"cannot write the output to stdout ({reason}){what}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    return status


def _silence_stdout() -> None:
    """After a failed write, point stdout at /dev/null so the interpreter's final flush is quiet."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


def _err(msg: str) -> None:
    msg = escape.ci_log(" ".join(str(msg).split()))
    try:
        print(f"verify: error: {msg}", file=sys.stderr)
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass  # nowhere left to say it; the exit status still says it


def _with_readings(model, readings: list[str]):
    """--reading KEY=VALUE (repeatable): the model under other readings of its text."""
    from .model.load import with_reading

    for r in readings:
        key, eq, value = r.partition("=")
        if not eq or not key.strip() or not value.strip():
            raise UsageError(f"--reading takes KEY=VALUE (e.g. votes_in_sale=true), got {r!r}")
        model = with_reading(model, key.strip(), value.strip())
    return model


def _exit_values(texts: list[str]) -> list[Fraction]:
    from .report.money import AmountError, parse_amount

    out = []
    for t in texts:
        try:
            v = parse_amount(t)
        except AmountError as e:
            raise UsageError(f"--exit {e}") from None
        if v < 0:
            raise UsageError(f"--exit {t!r}: an exit value cannot be negative")
        if v > 10**18:
            raise UsageError(f"--exit {t!r}: implausibly large (more than 10^18)")
        out.append(v)
    return out


def _conflicts(args) -> None:
    """Refuse, in one line, every combination of options that would otherwise be ignored."""
    fmt = args.format

    def refuse(msg: str) -> None:
        raise UsageError(msg)

    modes = [n for n, v in (("--outline", args.outline), ("--text-only", args.text_only), ("--diff", args.diff),
                            ("--explain", args.explain), ("--draft", args.draft)) if v]
    if not args.draft:
        for n, v in (("--output", args.output), ("--force", args.force), ("--captable", args.captable)):
            if v:
                refuse(f"{n} goes with --draft TEXT")
    if len(modes) > 1:
        refuse(f"{modes[0]} and {modes[1]} cannot be combined: run them separately")
    if modes:
        mode = modes[0]
        extra = [n for n, v in (("CHARTER.toml", args.charters), ("--exit", args.exits),
                                ("--breakpoints", args.breakpoints), ("--symbolic", args.symbolic),
                                ("--report", args.report), ("--text", args.text_path), ("--issue", args.issue),
                                ("--split", args.split), ("--ipo", args.ipo), ("--raise", args.raise_amount),
                                ("--no-properties", args.no_properties and mode != "--diff"),
                                ("--verbose", args.verbose), ("-j", args.jobs > 1)) if v]
        if extra:
            refuse(f"{mode} does not take {extra[0]}")
        allowed = {"--outline": ("text",), "--text-only": FORMATS, "--explain": ("text",),
                   "--diff": ("text", "json", "markdown"), "--draft": FORMATS}[mode]
        if fmt not in allowed:
            refuse(f"{mode} does not write --format {fmt} (it writes {', '.join(allowed)})")
        return
    if args.symbolic and not args.breakpoints:
        refuse("--symbolic adds formulas to the breakpoints: use it with --breakpoints")
    if args.exits and args.breakpoints:
        refuse("--exit and --breakpoints: choose one (--breakpoints gives the payouts at every breakpoint)")
    if args.exits and fmt in FINDING_FORMATS:
        refuse(f"--exit prints payouts, which --format {fmt} (findings only) cannot carry: "
               "use --format text, json, markdown or csv")
    if args.breakpoints and fmt in FINDING_FORMATS:
        refuse(f"--breakpoints prints breakpoints, which --format {fmt} (findings only) cannot carry: "
               "use --format text, json, markdown or csv")
    if args.excluded is not False and args.issue is None:
        refuse("--excluded qualifies --issue: give --issue SHARES@PRICE too")
    if (args.filed is not None or args.valuation is not None) and args.ipo is None:
        refuse(f"{'--filed' if args.filed is not None else '--valuation'} qualifies --ipo: give --ipo PRICE --raise AMOUNT too")
    if args.ipo is not None or args.raise_amount is not None:
        extra = [n for n, v in (("--exit", args.exits), ("--report", args.report), ("--issue", args.issue),
                                ("--split", args.split), ("--symbolic", args.symbolic)) if v]
        if extra:
            refuse(f"--ipo does not take {extra[0]}: run it separately")
        if fmt not in ("text", "json"):
            refuse(f"--ipo does not write --format {fmt} (it writes text, json)")
    if args.verbose and fmt != "text":
        refuse("--verbose restates the model in the text output: drop it with --format " + fmt)
    if fmt == "csv" and not (args.exits or args.breakpoints):
        refuse("--format csv writes payouts: give --exit VALUE or --breakpoints")


def _split_exits(argv: list[str]) -> tuple[list[str], list[str]]:
    """Pull every `--exit VALUE` / `--exit=VALUE` out of argv before argparse sees it.

    argparse scans the remaining options once per option, so 10,000 `--exit` values cost
    minutes there; this pass is linear. Everything after a bare `--` is left alone.
    """
    rest: list[str] = []
    exits: list[str] = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--":
            rest.extend(argv[i:])
            break
        if a == "--exit" and i + 1 < len(argv):
            exits.append(argv[i + 1])
            i += 2
            continue
        if a.startswith("--exit="):
            exits.append(a[len("--exit="):])
        else:
            rest.append(a)
        i += 1
    return rest, exits


# The github format's annotation lines of this run, exactly as rendered: the only lines of the
# output allowed to be workflow commands (a model name printed at the start of a line is not).
_ANNOTATIONS: set[str] = set()

MAX_RLIMIT = 2**32 - 1  # z3 takes an unsigned 32-bit limit: more wraps around (2^32 is 0: no limit)


def _rlimit(text: str) -> int:
    t = text.strip()
    if not t.isascii() or not t.isdigit():
        raise UsageError(f"--rlimit {text!r}: not a whole number (ASCII digits, 1 to {MAX_RLIMIT})")
    n = int(t) if len(t) <= 20 else MAX_RLIMIT + 1
    if not 1 <= n <= MAX_RLIMIT:
        raise UsageError(f"--rlimit {text!r}: must be between 1 and {MAX_RLIMIT}")
    return n


def _budget(text: str) -> tuple[int | None, int | None]:
    """--budget rlimit=N,pieces=M (either or both): z3 work in total and pieces proved, whole numbers."""
    got: dict[str, int] = {}
    for part in text.split(","):
        key, eq, val = part.strip().partition("=")
        key, val = key.strip(), val.strip()
        if not eq or key not in ("rlimit", "pieces") or key in got:
            raise UsageError(f"--budget {text!r}: expected rlimit=N and/or pieces=M, separated by a comma")
        if not val.isascii() or not val.isdigit() or len(val) > 20 or int(val) < 1:
            raise UsageError(f"--budget {text!r}: {key} must be a whole number of at least 1")
        got[key] = int(val)
    return got.get("rlimit"), got.get("pieces")


def _run(args, out) -> int:
    if args.version:
        from . import __version__

        out.write(f"charterverify {__version__}\n")
        return EXIT_OK
    _conflicts(args)
    if args.rlimit is not None:
        limit = _rlimit(args.rlimit)
        from .solver.session import set_default_rlimit

        set_default_rlimit(limit)
    if args.budget is not None:
        from .solver.session import set_default_budget

        set_default_budget(*_budget(args.budget))
    from .findings import Severity

    fail_on = Severity.parse(args.fail_on)
    exits = _exit_values(args.exits)
    if args.explain:
        from .report.terminal import TERMS, explain

        text = explain(args.explain)
        if text is None:
            raise UsageError(f"--explain {args.explain!r}: not a term I know (one of: {', '.join(TERMS)})")
        out.write(text + "\n")
        return EXIT_OK
    if args.outline:
        from .text import load_outline, render_outline

        out.write(render_outline(load_outline(_readable(args.outline))) + "\n")
        return EXIT_OK
    if args.text_only:
        from .report.runs import CharterRun
        from .text import check_text

        path = _readable(args.text_only)
        findings = check_text(path)
        from .text.rules import MODEL_RULES

        run = CharterRun(Path(path).stem, str(path), tuple(findings),
                         tuple(r for r in _text_rules() if r not in MODEL_RULES), fail_on)
        return _emit_findings([run], args.format, out)
    if args.diff:
        return _diff(args, out, fail_on)
    if args.draft:
        from .draft.command import DraftUsageError, run_draft

        try:
            return run_draft(_readable(args.draft), args.output, args.force, args.captable, args.format, out)
        except DraftUsageError as e:
            raise UsageError(str(e)) from None
    if not args.charters:
        raise UsageError("name at least one charter model (e.g. verify charters/quintus.toml)")
    if args.jobs > 1:  # -j runs the checks of several charters at once; nothing else takes it
        adjust_only = ((args.split is not None or args.issue is not None) and args.format == "json"
                       and not exits and not args.breakpoints and not args.report)
        other = next((n for n, v in (("--exit", exits), ("--breakpoints", args.breakpoints), ("--ipo", args.ipo),
                                     ("--raise", args.raise_amount), ("--split/--issue --format json", adjust_only))
                      if v), None)
        if other:
            raise UsageError(f"-j checks several charters at once; {other} does not run those checks (drop -j)")
    models = [_dated(_with_readings(load_model(c), args.readings), args.date) for c in args.charters]
    redeem_notes: dict[str, list[str]] = {}
    if args.redeem is not None:
        models = [_redeemed(m, args.redeem, redeem_notes) for m in models]
    if args.text_path and len(models) != 1:
        raise UsageError("--text goes with exactly one charter model")
    if args.report:
        _unique_ids(models, args.report)
    if args.ipo is not None or args.raise_amount is not None:
        if args.split is not None or args.issue is not None:
            raise UsageError("--ipo cannot be combined with --split or --issue: run the adjustment and the "
                             "offering as two commands")
        return _ipo(models, args, out)
    originals = {m.id: m for m in models}
    notes: list[str] = []
    if args.split is not None or args.issue is not None:
        adjusted = [_scenario(m, args, out) for m in models]
        models = [m for m, _ in adjusted]
        notes.append("The text checks read the charter as written; the payouts and proofs use the adjusted model.")
        if args.format == "json" and not exits and not args.breakpoints and not args.report:
            body = [{"charter": m.id, "adjustments": docs} for m, docs in adjusted]
            out.write(json.dumps(body[0] if len(body) == 1 else body, indent=2, default=str) + "\n")
            return EXIT_OK
    if exits:
        if args.format == "text":  # what the redemption paid before the sale
            out.writelines(f"Redemption: {line}\n" for m in models for line in redeem_notes.get(m.id, ()))
        return _payouts(models, exits, args, out, originals)
    if args.breakpoints:
        return _breakpoints(models, args, out, originals)

    from .jobs import in_order

    # one job per charter (-j N: up to N at once, in processes), rendered here in the order named
    show_progress = args.format == "text" and sys.stderr.isatty() and (args.jobs == 1 or len(models) == 1)
    done = in_order(_check_one, [(m, args, originals.get(m.id), notes, fail_on, show_progress) for m in models],
                    args.jobs)
    runs = [run for run, _ in done]
    for k, (_, text) in enumerate(done):
        if text is not None:
            if k > 0:
                out.write("\n")
            out.write(text)
    if args.format == "text":
        from .report.runs import exit_status

        return exit_status(runs)
    return _emit_findings(runs, args.format, out)


def _check_one(job):
    """One charter's checks (`-j`: in a worker process): its CharterRun, and its text report when the
    format is text. The report files (--report) are written here."""
    from .report.runs import CharterRun

    m, args, text_model, notes, fail_on, show_progress = job
    if args.rlimit is not None:  # a spawned worker does not inherit the parent's setting
        from .solver.session import set_default_rlimit

        set_default_rlimit(_rlimit(args.rlimit))
    findings, rules, analysis = _check(m, args, show_progress, text_model)
    run = CharterRun(m.id, m.path, tuple(findings), tuple(rules), fail_on)
    if args.report:
        _write_report(m, analysis, findings, args.report)
    if args.format != "text":
        return run, None
    from .report.terminal import render_charter, round_exits
    from .solver.exits import results_at

    results, _ = results_at(m, round_exits(m), analysis)
    return run, render_charter(m, run.located_findings(), fail_on, analysis, results,
                               verbose=args.verbose, notes=notes)


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
            valuation = args.valuation or m.readings.valuation  # --valuation overrides the reading
            res = ipo_mod.ipo(m, price, amount, args.filed, valuation=valuation)
            bps = ipo_mod.ipo_price_breakpoints(m, amount, args.filed, valuation=valuation) if args.breakpoints else None
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


def _readable(path: str, what: str = "") -> str:
    """`path` if it is a readable regular file, checked with os.stat before anything is read
    (a FIFO would block, a device never ends); else UsageError naming the path."""
    import stat

    label = f"{path} ({what})" if what else f"{path}"
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise UsageError(f"{label}: no such file") from None
    except (OSError, ValueError) as e:
        raise UsageError(f"{label}: cannot read ({getattr(e, 'strerror', None) or e})") from None
    if stat.S_ISDIR(st.st_mode):
        raise UsageError(f"{label}: is a directory, not a charter text")
    if not stat.S_ISREG(st.st_mode):
        raise UsageError(f"{label}: not a regular file (a FIFO, device or socket cannot be a charter text)")
    try:
        os.close(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)))
    except OSError as e:
        raise UsageError(f"{label}: cannot read ({e.strerror})") from None
    from .text.readers import check_readable  # empty, binary, PDF, oversize: one line, exit 2

    check_readable(path)
    return path


def _unique_ids(models, report_dir: str) -> None:
    """--report writes DIR/<charter.id>.*: two models with one id would overwrite each other."""
    seen: dict[str, str] = {}
    for m in models:
        if m.id in seen:
            raise UsageError(f"--report {report_dir}: {seen[m.id]} and {m.path} both have charter.id "
                             f"{m.id!r}, so one report would overwrite the other; give each model its own "
                             f"charter.id or write their reports in separate runs")
        seen[m.id] = m.path


def _text_roots(model, args) -> list:
    from .paths import default_root, extra_roots

    return [default_root(model.path)] + extra_roots(args.text_roots)


def _confined_text(model, args) -> tuple[Path, Path, str] | None:
    """The charter text to check with the model (--text or source.text): (the path as given, the
    path it resolves to, what names it), confined to the roots (outside them: exit 2, nothing read,
    not even whether it exists)."""
    from .paths import OutsideRoots, confine

    if args.text_path:
        given, what = args.text_path, "--text"
    elif model.text_path is not None:
        given, what = str(model.text_path), f"source.text of {model.path}"
    else:
        return None
    try:
        real = confine(given, _text_roots(model, args), what)
    except OutsideRoots as e:
        raise UsageError(str(e)) from None
    return Path(given), real, what


def _text_rules() -> list[str]:
    try:
        from .text.rules import RULES

        return sorted(RULES)
    except ImportError:
        return ["text"]


def _text_findings(model, args):
    """The text checks of the charter text a model names (or --text PATH), confined to the allowed
    roots first (`_confined_text`). A model whose text is missing gets one error finding saying so
    (the economic analysis still runs)."""
    from .findings import Finding, Severity

    named = _confined_text(model, args)
    if named is None:
        return [], []
    text_path, real, what = named
    if not os.path.lexists(real):
        if args.text_path:
            raise UsageError(f"--text {args.text_path}: no such file")
        msg = (f"The charter text {text_path} that the model names does not exist, so the text checks "
               f"(outline, cross-references, defined terms, traceability of the model's numbers) did not run: "
               f"supply the text with --text PATH, or put it where [source] text points")
        return ([Finding("text.missing", Severity.ERROR, msg, clause=None, file=model.path,
                         line=model.line_of("source.text"))], ["text.missing"])
    _readable(str(real), what)  # a directory, FIFO or unreadable file is a usage error
    from .draft.gate import gate_findings  # the model against a fresh draft of its text
    from .draft.trace import check_traceability  # the model's numbers, each in its role, in its clause
    from .text import check_text

    try:
        findings = list(check_text(text_path)) + list(check_traceability(list(model.numbers()), text_path))
        findings += gate_findings(model, text_path=text_path)
    except OSError as e:
        raise UsageError(f"{text_path}: cannot read the charter text ({e.strerror or e})") from None
    return findings, _text_rules()  # text.missing among them: the text was there


def _check(model, args, show_progress: bool, text_model=None):
    """Text checks, then the breakpoint analysis and the properties; returns findings, rules, analysis.

    text_model: the model as written when `model` is adjusted (--issue, --split): the text checks
    and the traceability of numbers read the charter as written."""
    tables = None
    if not args.no_properties:  # the readings' effects, in a second process while the rest runs
        from .readings import ahead_tables, compute_ahead

        tables = ahead_tables(model)  # built first, then shared by the child and the analysis
        compute_ahead(model, tables)
    findings, rules = _text_findings(text_model or model, args)
    analysis = None
    if not args.no_properties or args.report or args.breakpoints or args.format == "text":
        analysis = _analyze(model, show_progress, tables)
    if not args.no_properties:
        try:
            from .properties import check_all
        except ImportError:
            check_all = None
        if check_all is not None:
            for res in check_all(model, analysis):
                rules.append(res.rule)
                findings += list(res.findings)
    if analysis is not None and (analysis.budget is not None or not analysis.complete):
        # --budget, or z3 gave up somewhere: say what is proved, what is not
        from .report.coverage import coverage_findings, rule_for

        rules.append(rule_for(analysis))
        findings += coverage_findings(model, analysis)
    return findings, sorted(set(rules)), analysis


def _analyze(model, show_progress: bool, tables=None):
    from .solver.breakpoints import analyze

    if not show_progress:
        return analyze(model, tables=tables)
    from rich.console import Console

    with Console(stderr=True).status(f"Proving the breakpoints of {model.id}…"):
        return analyze(model, tables=tables)


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

        annotations = render_github(runs)
        _ANNOTATIONS.update(annotations.splitlines(keepends=True))
        out.write(annotations)
        try:
            append_step_summary(render_step_summary(runs))
        except (OSError, ValueError) as e:
            target = os.environ.get("GITHUB_STEP_SUMMARY", "")
            raise UsageError(f"GITHUB_STEP_SUMMARY {target}: cannot append the summary "
                             f"({getattr(e, 'strerror', None) or e}); it must name a writable file") from None
    elif fmt == "json":
        body = [{"charter": r.charter_id, "file": r.model_path, "checked": list(r.checked_rules),
                 "findings": [f.to_json() for f in r.located_findings()]} for r in runs]
        out.write(json.dumps(body[0] if len(body) == 1 else body, indent=2) + "\n")
    elif fmt == "markdown":
        from .report.github import render_step_summary

        out.write(render_step_summary(runs))
    else:
        from .report.terminal import console, findings_table, group_findings, verdict_line

        con, buf = console()
        for r in runs:
            located = r.located_findings()
            con.print(verdict_line(r.charter_id, None, located, r.fail_on))
            groups = group_findings(located)
            if groups:
                con.print(findings_table(groups, con.width))
        out.write(buf.getvalue())
    return exit_status(runs)


def _payouts(models, exits, args, out, originals) -> int:
    from .report.payouts import payouts_json
    from .solver.exits import results_at

    fmt = args.format
    docs = []
    for m in models:
        results, method = results_at(m, exits)
        docs.append((m, results, method))
    if args.report:
        for m, _, _ in docs:
            findings, _rules, analysis = _check(m, args, False, originals.get(m.id))
            _write_report(m, analysis, findings, args.report, exits=exits)
    if fmt == "json":
        body = [dict(payouts_json(m, rs), method=method) for m, rs, method in docs]
        out.write(json.dumps(body[0] if len(body) == 1 else body, indent=2) + "\n")
    elif fmt == "csv":
        from .report.tabular import payouts_csv

        out.write(payouts_csv([(m, rs) for m, rs, _ in docs]))
    elif fmt == "markdown":
        from .report.tabular import payouts_markdown

        out.write("\n".join(payouts_markdown(m, rs) for m, rs, _ in docs))
    else:
        from .report.terminal import console, terminal_width, who_gets_what

        w = terminal_width()
        for m, rs, _ in docs:
            con, buf = console(w)
            con.print(f"{m.name} ({m.id}): payouts at the exit values asked for "
                      "(≈: not a whole number of cents, rounded; exact values with --format json or csv)")
            for t in who_gets_what(m, rs, w, "Who gets what (amount; per share of the holder's own shares; % of proceeds)"):
                con.print(t)
            out.write(buf.getvalue())
    return EXIT_OK


def _breakpoints(models, args, out, originals) -> int:
    from .report.breakpoints import breakpoints_json, breakpoints_text

    show_progress = args.format == "text" and sys.stderr.isatty()
    docs = [(m, _analyze(m, show_progress)) for m in models]
    if args.report:
        for m, an in docs:
            findings, _rules, _ = _check(m, args, False, originals.get(m.id)) if not args.no_properties \
                else (_text_findings(originals.get(m.id) or m, args.text_path)[0], None, None)
            _write_report(m, an, findings, args.report)
    if args.format == "json":
        body = []
        for m, an in docs:
            d = breakpoints_json(an)
            if args.symbolic:
                _add_formulas(an, d)
            body.append(d)
        out.write(json.dumps(body[0] if len(body) == 1 else body, indent=2) + "\n")
    elif args.format == "csv":
        from .report.tabular import breakpoints_csv

        out.write(breakpoints_csv([an for _, an in docs]))
    elif args.format == "markdown":
        from .report.tabular import breakpoints_markdown

        for m, an in docs:
            out.write(breakpoints_markdown(an))
            if args.symbolic:
                out.write("\n```\n" + _formulas_text(an) + "```\n")
    else:
        for m, an in docs:
            out.write(breakpoints_text(an))
            if args.symbolic:
                out.write(_formulas_text(an))
            if not an.complete:
                from .report.coverage import coverage_findings

                out.write("".join(f.message + "\n" for f in coverage_findings(m, an)))
    # a partial answer under --budget is not a pass (docs/ci.md: unknown never passes)
    return EXIT_FINDINGS if any(not an.complete for _, an in docs) else EXIT_OK


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


def _write_report(model, analysis, findings, out_dir: str, exits=None) -> None:
    try:
        from .report.document import write_report
    except ImportError:
        raise UsageError("--report is not available in this version") from None
    d = Path(out_dir)
    try:
        if d.exists() and not d.is_dir():
            raise UsageError(f"--report {out_dir}: exists and is not a directory")
        d.mkdir(parents=True, exist_ok=True)
        paths = write_report(analysis, d, findings=findings, exits=exits)
    except OSError as e:
        where = e.filename or out_dir
        raise UsageError(f"--report {out_dir}: cannot write {where} ({e.strerror or e}); "
                         f"give a writable directory") from None
    print(f"verify: wrote {', '.join(escape.terminal(str(p)) for p in paths)}", file=sys.stderr)


def _all_findings(model, analysis, args):
    from .properties import check_all

    # the text each model names (never --text: the two drafts name their own), within the roots
    findings, _ = _text_findings(model, argparse.Namespace(text_path=None, text_roots=args.text_roots))
    if not args.no_properties:
        findings += [f for r in check_all(model, analysis) for f in r.findings]
    return findings


def _diff(args, out, fail_on) -> int:
    if not all(p.lower().endswith(".toml") for p in args.diff):
        if any(p.lower().endswith(".toml") for p in args.diff):
            raise UsageError("--diff compares two models (.toml) or two charter texts, not one of each")
        from .textdiff import text_diff, text_diff_exit_status, text_diff_text

        old_t, new_t = (Path(_readable(p)) for p in args.diff)
        d = text_diff(old_t, new_t)
        out.write(json.dumps(d, indent=2) + "\n" if args.format == "json" else text_diff_text(d))
        return text_diff_exit_status(d, fail_on)
    old, new = (_dated(_with_readings(load_model(p), args.readings), args.date) for p in args.diff)
    from .diff import diff, diff_exit_status, diff_markdown, diff_text
    from .solver.breakpoints import analyze

    ao, an = analyze(old), analyze(new)
    d = diff(old, new, ao, an, _all_findings(old, ao, args), _all_findings(new, an, args))
    if args.format == "json":
        out.write(json.dumps(d, indent=2, default=str) + "\n")
    elif args.format == "markdown":
        out.write(diff_markdown(d))
    else:
        out.write(diff_text(d))
    return diff_exit_status(d, fail_on)



def _dated(model, text: str | None):
    """The model as of the exit date `--date` (or its scenario.date); accruing dividends need one."""
    import datetime as dt

    from .model import with_date
    from .readings import undeclared_series

    if model.readings.undeclared_dividends == "accrued":  # accrued from each series' start: one is needed
        missing = [s.id for s in undeclared_series(model) if s.dividend.start is None]
        if missing:
            raise UsageError(f"{model.path}: reading undeclared_dividends = accrued: Series {', '.join(missing)} "
                             f"state{'s' if len(missing) == 1 else ''} no date the dividends accrue from "
                             f"(start in [series.dividends])")
    if text is not None:
        try:
            when = dt.date.fromisoformat(text.strip())
        except ValueError:
            raise UsageError(f"--date {text!r}: expected a date like 2026-06-30") from None
        return with_date(model, when)
    if model.scenario.date is None:
        from .model.types import accrues

        accruing = [s.id for s in model.series if accrues(s, model.readings) and s.dividend.start is not None]
        if accruing:
            verb = "accrues" if len(accruing) == 1 else "accrue"
            raise UsageError(f"{model.path}: Series {', '.join(accruing)} {verb} dividends: give the exit date "
                             f"(--date YYYY-MM-DD, or date in [scenario])")
    return model


def _redeemed(model, text: str, notes: dict[str, list[str]]):
    """The model with the redemptions the holders may require on --redeem's date paid first."""
    import datetime as dt

    from .terms import redeem

    try:
        when = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--redeem {text!r}: expected a date like 2026-06-30") from None
    if not model.redemptions:
        raise UsageError(f"--redeem: {model.path} states no redemption right ([[redemption]])")
    m, lines = redeem(model, when)
    notes[m.id] = lines
    return m


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

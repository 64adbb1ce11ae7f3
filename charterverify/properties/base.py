"""Shared pieces of the property checks: exact payouts from an analysis, deal-term wording,
model locations, and the affine pieces of one fixed conversion profile.

Everything here is exact (`Fraction`); numbers reach a message only through `money`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from math import ceil, floor
from typing import Any, Iterable

from ..affine import variable
from ..evaluate import Choice, choice_of, waterfall
from ..findings import Finding, Severity, Verdict
from ..model import CARVE_OUT, COMMON, Charter, ConversionUnit, format_exact
from ..solver.breakpoints import Analysis, Piece

Form = tuple[Fraction, Fraction]  # (intercept, slope)


# ---------------------------------------------------------------- the result of one property


@dataclass(frozen=True)
class PropertyResult:
    """One property on one charter: its verdict and the findings that show it.

    verdict: REFUTED when a finding refutes it, else UNKNOWN when a proof came back unknown,
    else PROVED (NOT_APPLICABLE when the charter has nothing the property speaks about).
    Informational findings (verdict PROVED) do not change a PROVED verdict.
    """

    rule: str
    verdict: Verdict
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def severity(self) -> Severity | None:
        return max((f.severity for f in self.findings), default=None)

    def to_json(self) -> dict[str, Any]:
        sev = self.severity
        return {"rule": self.rule, "verdict": self.verdict.value, "severity": sev.label if sev else None,
                "findings": [f.to_json() for f in self.findings]}


def verdict_of(findings: Iterable[Finding], applicable: bool = True) -> Verdict:
    fs = list(findings)
    if any(f.verdict is Verdict.REFUTED for f in fs):
        return Verdict.REFUTED
    if any(f.verdict is Verdict.UNKNOWN for f in fs):
        return Verdict.UNKNOWN
    if fs and all(f.verdict is Verdict.NOT_APPLICABLE for f in fs):
        return Verdict.NOT_APPLICABLE
    return Verdict.PROVED if applicable else Verdict.NOT_APPLICABLE


# ---------------------------------------------------------------- words and numbers


def fx(x: Fraction | int | None) -> str | None:
    """An exact number for a witness (integer, terminating decimal or p/q)."""
    return None if x is None else format_exact(Fraction(x))


def money(x: Fraction | int) -> str:
    """Dollars for a message: exact when the amount terminates, else 'about' and cents."""
    x = Fraction(x)
    exact = format_exact(x)
    if "/" in exact:
        return "about " + money(Fraction(round(x * 100), 100))
    sign = "-" if x < 0 else ""
    whole, _, dec = exact.lstrip("-").partition(".")
    s = f"{sign}${int(whole):,}"
    if dec:
        s += "." + dec.ljust(2, "0")
    return s


def price(x: Fraction | int) -> str:
    """A per-share amount: dollars with at least two decimals ($30.00, $10.375)."""
    s = money(x)
    return s if "." in s or s.startswith("about") else s + ".00"


def number(x: Fraction | int) -> str:
    """A plain exact number for a message (shares, ratios, multiples)."""
    x = Fraction(x)
    exact = format_exact(x)
    if "/" in exact:
        return f"about {float(x):.6g}"
    whole, _, dec = exact.lstrip("-").partition(".")
    return ("-" if x < 0 else "") + f"{int(whole):,}" + ("." + dec if dec else "")


def series_label(sid: str) -> str:
    return f"Series {sid}"


def holder_label(model: Charter, h: str) -> str:
    if h == COMMON:
        return "Common stock"
    if h == CARVE_OUT:
        return "The management carve-out"
    if any(s.id == h for s in model.series):
        return series_label(h)
    return f"Option pool {h}"


def join_names(items: list[str]) -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def unit_label(unit: ConversionUnit) -> str:
    if unit.kind == "option":
        return f"option pool {unit.id}"
    if unit.kind == "class_vote":
        return f"Series {join_names(list(unit.members))} (class vote {unit.id})"
    return series_label(unit.id)


def profile_text(units: tuple[ConversionUnit, ...], profile: tuple[bool, ...]) -> str:
    acting = [u for u, a in zip(units, profile) if a]
    if not acting:
        return "nobody converts"
    parts = []
    for u in acting:
        if u.kind == "option":
            parts.append(f"option pool {u.id} is exercised")
        elif u.kind == "class_vote":
            parts.append(f"Series {join_names(list(u.members))} convert (class vote {u.id})")
        else:
            parts.append(f"Series {u.id} converts")
    return "; ".join(parts)


def range_text(lo: Fraction, hi: Fraction | None) -> str:
    if hi is None:
        return f"from {money(lo)} up"
    if lo == hi:
        return f"at {money(lo)}"
    return f"from {money(lo)} to {money(hi)}"


# ---------------------------------------------------------------- where in the model


class Locator:
    """Model keys ('series[3].participation.cap') for ids, in the TOML file's own order."""

    def __init__(self, model: Charter):
        self.model = model
        self.series_index = {s.id: i for i, s in enumerate(model.series)}
        self.vote_index = {v.id: i for i, v in enumerate(model.class_votes)}
        self.auto_index = {a.id: i for i, a in enumerate(model.automatic_conversions)}
        self.ratchet_index = {r.series: i for i, r in enumerate(model.ipo_ratchets)}
        self.pool_index = {p.id: i for i, p in enumerate(model.captable.options)}
        self.tier_index = {t.id: i for i, t in enumerate(model.tiers)}
        try:  # tiers may be reordered by junior_to: the file's order gives the key
            with open(model.path, "rb") as fh:
                raw = tomllib.load(fh)
            ids = [t.get("id") for t in raw.get("tiers", [])]
            if sorted(map(str, ids)) == sorted(self.tier_index):
                self.tier_index = {tid: i for i, tid in enumerate(ids)}
        except (OSError, tomllib.TOMLDecodeError, AttributeError, TypeError):
            pass

    def series(self, sid: str, sub: str = "") -> str:
        return f"series[{self.series_index[sid]}]" + (f".{sub}" if sub else "")

    def tier(self, tid: str, sub: str = "") -> str:
        return f"tiers[{self.tier_index[tid]}]" + (f".{sub}" if sub else "")

    def vote(self, vid: str) -> str:
        return f"class_votes[{self.vote_index[vid]}]"

    def auto(self, aid: str, sub: str = "") -> str:
        return f"automatic_conversion[{self.auto_index[aid]}]" + (f".{sub}" if sub else "")

    def unit(self, unit: ConversionUnit) -> str:
        if unit.kind == "class_vote":
            return self.vote(unit.id)
        if unit.kind == "option":
            return f"captable.options[{self.pool_index[unit.id]}]"
        return self.series(unit.id, "conversion")

    def holder(self, h: str) -> str:
        if h in self.series_index:
            return self.series(h)
        if h in self.pool_index:
            return f"captable.options[{self.pool_index[h]}]"
        if h == COMMON:
            return "captable.common_outstanding"
        return "scenario"

    def line(self, key: str | None) -> int | None:
        return self.model.line_of(key) if key else None


def make_finding(
    model: Charter,
    rule: str,
    severity: Severity,
    message: str,
    *,
    clause: str | Iterable[str] | None = None,
    key: str | None = None,
    verdict: Verdict = Verdict.REFUTED,
    witness: dict[str, Any] | None = None,
) -> Finding:
    if clause is not None and not isinstance(clause, str):
        clause = "; ".join(dict.fromkeys(c for c in clause if c)) or None
    return Finding(
        rule=rule,
        severity=severity,
        message=message,
        clause=clause,
        file=model.path,
        line=model.line_of(key) if key else None,
        verdict=verdict,
        witness=dict(witness or {}),
    )


def unit_source(model: Charter, unit: ConversionUnit) -> str | None:
    if unit.source:
        return unit.source
    if unit.kind == "series":
        conv = model.get_series(unit.id).conversion
        return conv.source if conv else None
    return None


# ---------------------------------------------------------------- exact payouts from an analysis


def piece_value(p: Piece, h: str, x: Fraction) -> Fraction:
    a, b = p.forms.get(h, (Fraction(0), Fraction(0)))
    return a + b * x


def value_at(an: Analysis, h: str, x: Fraction) -> Fraction:
    """The reported equilibrium's payout of `h` at exit value x (0 for an unknown holder)."""
    x = Fraction(x)
    pt = an.points.get(x)
    if pt is not None:
        return pt.payouts.get(h, Fraction(0))
    p = an.piece_at(x)
    if p is None:
        raise ValueError(f"exit value {x} is not covered by the analysis")
    return piece_value(p, h, x)


def profile_at(an: Analysis, x: Fraction) -> tuple[bool, ...]:
    pt = an.points.get(Fraction(x))
    if pt is not None:
        return pt.profile
    seg = segment_at(an, x)
    return seg.profile


def segment_at(an: Analysis, x: Fraction) -> Piece:
    for s in an.segments:
        if s.lo < x and (s.hi is None or x < s.hi):
            return s
    raise ValueError(f"exit value {x} is not inside a segment")


def unproved_findings(model: Charter, an: Analysis, rule: str, what: str) -> list[Finding]:
    """One UNKNOWN warning per run of unproved segments: the property is not shown there."""
    out: list[Finding] = []
    runs: list[list[Piece]] = []
    for s in an.segments:
        if s.proved:
            continue
        if runs and runs[-1][-1].hi == s.lo:
            runs[-1].append(s)
        else:
            runs.append([s])
    for run in runs:
        lo, hi = run[0].lo, run[-1].hi
        reason = run[0].reason or "the solver gave up"
        out.append(make_finding(
            model, rule, Severity.WARNING,
            f"{what} is not proved for exit values {range_text(lo, hi)}: {reason}",
            verdict=Verdict.UNKNOWN,
            witness={"from": fx(lo), "to": fx(hi), "reason": reason},
        ))
    return out


# ---------------------------------------------------------------- probes and readable witnesses


def simplest_between(a: Fraction, b: Fraction | None) -> Fraction:
    """A point of (a, b) with few digits (whole dollars when the interval allows)."""
    if b is None:
        step = Fraction(10) ** max(0, len(str(max(1, floor(a)))) - 1)
        return (floor(a / step) + 1) * step
    step = Fraction(10) ** 15
    while step >= Fraction(1, 10**9):
        cand = (floor(a / step) + 1) * step
        if cand < b:
            # the roundest such point: prefer one aligned with the coarsest grid that fits
            return cand
        step /= 10
    return (a + b) / 2


STEPS = (Fraction(1), Fraction(1, 100), Fraction(1, 10**4), Fraction(1, 10**6))


def grid_pairs(x: Fraction) -> Iterable[tuple[Fraction, Fraction]]:
    """Pairs (a, b), a <= x <= b, a < b, on ever finer decimal grids around x (whole dollars first)."""
    for step in STEPS:
        below = floor(x / step) * step
        above = ceil(x / step) * step
        if below != above:
            yield below, above
        else:
            yield x - step, x
            yield x, x + step
            yield x - step, x + step


# ---------------------------------------------------------------- one fixed profile, exactly


def fixed_forms(model: Charter, choice: Choice, lo: Fraction, hi: Fraction | None,
                holders: Iterable[str] | None = None) -> list[tuple[Fraction, Fraction | None, dict[str, Form]]]:
    """Affine pieces covering (lo, hi) of every holder's payout for one fixed profile.

    Runs the direct waterfall on affine numbers (no solver); a kink splits the interval.
    """
    keep = set(holders) if holders is not None else None
    out = []
    work: list[tuple[Fraction, Fraction | None]] = [(lo, hi)]
    guard = 0
    while work:
        guard += 1
        if guard > 10_000:
            raise RuntimeError("fixed_forms: too many pieces")
        a, b = work.pop()
        p = simplest_between(a, b)
        vr, vl = variable(p, 1), variable(p, -1)
        right = waterfall(model, vr, choice)
        left = waterfall(model, vl, choice)
        if any(right[h].v != left[h].v or right[h].s != left[h].s for h in right):
            work += [(a, p), (p, b)]
            continue
        l = a if vl.tracker.bound is None else max(a, vl.tracker.bound)
        r = b if vr.tracker.bound is None else (vr.tracker.bound if b is None else min(b, vr.tracker.bound))
        forms = {h: (f.intercept(), f.s) for h, f in right.items() if keep is None or h in keep}
        out.append((l, r, forms))
        if l > a:
            work.append((a, l))
        if r is not None and (b is None or r < b):
            work.append((r, b))
    out.sort(key=lambda t: t[0])
    return out


def _plain_table(an, profile):
    """The analysis' exact table of one profile (`tables.ProfileTable`) when it has the plain 2^n
    tables (the same model, every profile walked over [0, ∞)); None otherwise."""
    tb = getattr(an, "tables", None) if an is not None else None
    if tb is None or tb.pools is not None:
        return None
    return tb.table.get(tuple(profile))


def profile_forms(model: Charter, an, profile, lo: Fraction, hi: Fraction | None,
                  holders: Iterable[str] | None = None) -> list[tuple[Fraction, Fraction | None, dict[str, Form]]]:
    """`fixed_forms` of one profile of `an.units` over (lo, hi), read off the analysis' exact table of
    that profile when it has one: its stretches meeting (lo, hi), clipped to it. The table is the same
    direct waterfall on affine numbers, walked from 0 (`tables.build_table`), so each stretch is an
    interval on which every payout is affine with those forms, as each piece of `fixed_forms` is; the
    pieces may only be cut at more points (a stretch ends wherever a comparison flips)."""
    t = _plain_table(an, profile)
    if t is None:
        return fixed_forms(model, choice_of(an.units, profile), lo, hi, holders)
    from ..rational import fast_rational, to_fraction

    wanted = set(holders) if holders is not None else None
    keep = [h for h in model.holders if wanted is None or h in wanted]
    qlo, qhi = fast_rational(lo), None if hi is None else fast_rational(hi)
    xs = t.xs
    out = []
    for j in range(t.stretch(qlo), len(xs)):
        a = xs[j]
        if qhi is not None and a >= qhi:
            break
        b = xs[j + 1] if j + 1 < len(xs) else None
        l = lo if a <= qlo else to_fraction(a)
        r = hi if b is None or (qhi is not None and b >= qhi) else to_fraction(b)
        f = t.forms[j]
        out.append((l, r, {h: (to_fraction(f[h][0]), to_fraction(f[h][1])) for h in keep}))
    return out


def profile_payouts(model: Charter, an, x: Fraction, profile) -> dict[str, Fraction]:
    """`exact_payouts` of one profile of `an.units` at x, read off the analysis' exact table of that
    profile when it has one."""
    t = _plain_table(an, profile)
    if t is None:
        return exact_payouts(model, x, choice_of(an.units, profile))
    from ..rational import fast_rational, to_fraction

    return {h: to_fraction(v) for h, v in t.payouts(fast_rational(x)).items()}


def exact_payouts(model: Charter, x: Fraction, choice: Choice) -> dict[str, Fraction]:
    return {h: Fraction(v) for h, v in waterfall(model, Fraction(x), choice).items()}


def positive_region(lo: Fraction, hi: Fraction | None, forms: list[Form]) -> tuple[Fraction, Fraction | None] | None:
    """The open sub-interval of (lo, hi) where every a + b·E > 0 (None when empty)."""
    l, r = lo, hi
    for a, b in forms:
        if b == 0:
            if a <= 0:
                return None
            continue
        root = -a / b
        if b > 0:
            l = max(l, root)
        else:
            r = root if r is None else min(r, root)
    if r is not None and l >= r:
        return None
    return l, r


def merge_ranges(ranges) -> list[list]:
    """Sorted [lo, hi] ranges (hi None: unbounded), overlapping or touching ones merged."""
    out: list[list] = []
    for lo, hi in sorted(ranges, key=lambda r: r[0]):
        if out and (out[-1][1] is None or lo <= out[-1][1]):
            if out[-1][1] is not None and (hi is None or hi > out[-1][1]):
                out[-1][1] = hi
            continue
        out.append([lo, hi])
    return out


def sub(f: Form, g: Form) -> Form:
    return f[0] - g[0], f[1] - g[1]


def const(c: Fraction) -> Form:
    return Fraction(c), Fraction(0)


"""The drafted model as TOML in the project's format (docs/charter-format.md).

Every value carries its `source` (the clause label that states it) and a comment with the
line and the quote.  A value the drafter did not read with confidence is left out, with a
`# REVIEW:` comment saying what and why; `review_items()` lists them all.  The cap table
is written as explicit assumptions.  `write_model` returns the text; the caller checks
that it loads (`charterverify.model.loads_model`).
"""

from __future__ import annotations

import os
import re
from fractions import Fraction
from pathlib import Path

from .facts import Draft, Fact, fmt_value


def _s(x: str) -> str:
    return '"' + x.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _num(v) -> str:
    """Money as an exact string ("0.9", "893/397"); counts as integers."""
    return _s(fmt_value(v)) if isinstance(v, Fraction) else str(v)


def _quote(f: Fact, limit: int = 150) -> str:
    q = f.quote.replace("\n", " ")
    if len(q) > limit:
        q = q[:limit - 3] + "..."
    return q


def _cite(f: Fact) -> str:
    out = f"line {f.line}: {_quote(f)}"
    for src, line in f.also:
        out += f"  [also {src}, line {line}]"
    return out


def _src(f: Fact) -> str:
    """The clause label, or the line where the outline gives no label (flowed text)."""
    return f.source or f"line {f.line}"


def model_id(path: str, company: str = "") -> str:
    """The charter id: the company's first name word ("Kinzan, Inc." -> "kinzan"), else the file stem."""
    words = [w for w in re.findall(r"[A-Za-z0-9]+", company) if w.lower() not in ("the", "inc", "corp", "co")]
    stem = (words[0] if words else Path(path).stem).lower()
    stem = re.sub(r"[^a-z0-9_-]+", "-", stem).strip("-_") or "draft"
    if not stem[0].isalnum():
        stem = "d" + stem
    return stem[:60]


def toml_id(sid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", sid)


class Writer:
    def __init__(self, draft: Draft, text_path: str, out_dir: Path, captable_common: int | None = None):
        self.d = draft
        self.text_path = text_path
        self.out_dir = out_dir
        self.lines: list[str] = []
        self.reviews: list[str] = []  # one line per review item (also in the TOML as # REVIEW:)
        self.captable_common = captable_common
        self.complete = True
        self.why_incomplete: list[str] = []

    def w(self, s: str = "") -> None:
        self.lines.append(s)

    def review(self, msg: str, f: Fact | None = None) -> None:
        where = f" ({f.source or '?'}, line {f.line}: {_quote(f, 100)})" if f is not None else ""
        self.w(f"# REVIEW: {msg}{where}")
        self.reviews.append(msg + where)

    def fact(self, key: str) -> Fact | None:
        return self.d.get(key)

    def ok(self, key: str) -> Fact | None:
        f = self.d.get(key)
        return f if f is not None and not f.review else None

    def value_line(self, name: str, f: Fact, text: str | None = None) -> None:
        self.w(f"{name} = {text if text is not None else _num(f.value)}")
        self.w(f"# {_cite(f)}")

    # ------------------------------------------------------------------ sections
    def build(self) -> str:
        d = self.d
        rel = os.path.relpath(os.path.abspath(self.text_path), os.path.abspath(self.out_dir))
        self.w("# Drafted by `verify --draft` from the charter text; every value cites its clause and line.")
        self.w("# Review every `# REVIEW:` item before relying on this model; the [captable] is assumed.")
        self.w("format = 1")
        self.w()
        self.w("[charter]")
        self.w(f"id = {_s(model_id(self.text_path, d.company))}")
        self.w(f"name = {_s(d.company or Path(self.text_path).stem)}")
        self.w()
        self.w("[source]")
        self.w(f"text = {_s(rel.replace(os.sep, '/'))}")
        self.w()
        common = self.ok("authorized.common")
        if common is not None:
            self.w("[common]")
            self.value_line("authorized", common, str(common.value))
            self.w(f"source = {_s(_src(common))}")
            self.w()
        else:
            classes = [f for f in d.facts if f.key.startswith("authorized.common.") and not f.review]
            for f in classes:
                self.w(f"# common class {f.key.split('.')[-1]}: {f.value} authorized ({f.source}, line {f.line})")
            if not classes:
                self.review("authorized common shares not read")
        pref = self.ok("authorized.preferred")
        if pref is not None:
            self.w("[preferred]")
            self.value_line("authorized", pref, str(pref.value))
            self.w(f"source = {_s(_src(pref))}")
            self.w()
        else:
            self.review("authorized preferred shares not read")
        written = self.series()
        self.tiers(written)
        self.class_votes(written)
        self.auto(written)
        self.dividends(written)
        self.captable(written)
        return "\n".join(self.lines) + "\n"

    def series(self) -> list[str]:
        written: list[str] = []
        self.has_pref: set[str] = set()
        for sid in self.d.series_ids():
            des = self.fact(f"series.{sid}.designated")
            oip = self.fact(f"series.{sid}.original_issue_price")
            self.w(f"# ---------------------------------------------------------------- Series {sid}")
            if des is None or des.review or oip is None or oip.review:
                why = []
                if des is None or des.review:
                    why.append("designated shares")
                if oip is None or oip.review:
                    why.append("original issue price")
                self.review(f"Series {sid} left out: {' and '.join(why)} not read with confidence",
                            des if des is not None else oip)
                self.w()
                continue
            tid = toml_id(sid)
            written.append(sid)
            self.w("[[series]]")
            self.w(f"id = {_s(tid)}")
            self.w(f"name = {_s('Series ' + sid + ' Preferred Stock')}")
            self.value_line("designated", des, str(des.value))
            self.value_line("original_issue_price", oip)
            self.w(f"source = {_s(_src(des))}")
            if _src(oip) != _src(des):
                self.w(f"price_source = {_s(_src(oip))}")
            if oip.note:
                self.w(f"# reading: {oip.note}")
            self.w()
            pr = self.fact(f"series.{sid}.preference_per_share")
            if pr is not None and not pr.review:
                self.w("[series.preference]")
                self.value_line("per_share", pr)
                self.w(f"source = {_s(_src(pr))}")
                if pr.note:
                    self.w(f"# reading: {pr.note}")
                self.w()
                self.has_pref.add(sid)
            else:
                self.review(f"Series {sid}: liquidation preference not read; the model gives it none"
                            + (f" ({pr.note})" if pr is not None and pr.note else ""), pr)
                self.w()
            pa = self.fact(f"series.{sid}.participation")
            cap = self.fact(f"series.{sid}.participation_cap_per_share")
            per = pr.value if pr is not None and not pr.review else Fraction(0)
            if pa is not None and pa.value == "capped" and cap is not None and not cap.review and cap.value < per:
                self.review(f"Series {sid}: cap {fmt_value(cap.value)} read below the preference {fmt_value(per)}; "
                            "participation left out", cap)
                pa = None
            if pa is not None and not pa.review and (pa.value != "capped" or (cap is not None and not cap.review)):
                self.w("[series.participation]")
                self.value_line("kind", pa, _s(str(pa.value)))
                if pa.value == "capped":
                    self.value_line("cap", cap)  # type: ignore[arg-type]
                self.w(f"source = {_s(_src(pa))}")
                self.w()
            else:
                self.review(f"Series {sid}: participation not read; the model treats it as non-participating", pa)
                self.w()
            cp = self.fact(f"series.{sid}.conversion_price")
            cr = self.fact(f"series.{sid}.conversion_ratio")
            if cp is not None and not cp.review:
                self.w("[series.conversion]")
                self.value_line("price", cp)
                self.w(f"source = {_s(_src(cp))}")
                if cp.also:
                    self.w(f"# by reference: {cp.note or 'stated by a defined term'}")
                cash = self.d.extra.get("cash_on_conversion", {}).get(sid)
                if cash is not None:
                    self.w(f"cash_per_share = {_s(fmt_value(cash[0]))}")
                    self.w(f"cash_source = {_s(cash[1] or 'line ' + str(cash[2]))}")
                    self.w(f"# line {cash[2]}: a cash payment with each share converted")
                self.w()
            elif cr is not None and not cr.review:
                self.w("[series.conversion]")
                self.value_line("price", cr, _num(oip.value / cr.value))
                self.w(f"# the charter states a ratio of {fmt_value(cr.value)}: price = original issue price / ratio")
                self.w(f"source = {_s(_src(cr))}")
                self.w()
            else:
                self.review(f"Series {sid}: conversion price not read; the model lets it not convert", cp or cr)
                self.w()
        if not written:
            self.complete = False
            self.why_incomplete.append("no series with both designated shares and an issue price was read")
        return written

    def tiers(self, written: list[str]) -> None:
        tiers = self.d.extra.get("tiers", [])
        placed: set[str] = set()
        self.w("# ---------------------------------------------------------------- Seniority (tier 1 is paid first)")
        n = 0
        for t in tiers:
            members = [s for s in t["series"] if s in written]
            if not members:
                continue
            n += 1
            self.w("[[tiers]]")
            self.w(f"id = {_s('tier' + str(t['n']))}")
            self.w("series = [" + ", ".join(_s(toml_id(s)) for s in members) + "]")
            self.w(f"shortfall = {_s(t['shortfall'])}")
            if t.get("shortfall_source"):
                self.w(f"# shortfall shared as stated at {t['shortfall_source'][0]}, line {t['shortfall_source'][1]}")
            if t.get("shortfall_review"):
                self.review(f"tier {t['n']}: how a shortfall is shared was not read; \"preference\" written")
            self.w(f"source = {_s(t['source'] or 'line ' + str(t['line']))}")
            self.w(f"# line {t['line']}")
            self.w()
            placed.update(members)
        missing = [s for s in written if s not in placed]
        if missing:
            self.review("no seniority read for " + ", ".join(f"Series {s}" for s in missing)
                        + "; written as one tier below the others")
            self.w("[[tiers]]")
            self.w('id = "unplaced"')
            self.w("series = [" + ", ".join(_s(toml_id(s)) for s in missing) + "]")
            self.w('shortfall = "preference"')
            self.w('source = "assumption"')
            self.w()
        if not written:
            self.w("# (no tiers: no series)")

    def class_votes(self, written: list[str]) -> None:
        for i, v in enumerate(self.d.extra.get("class_votes", [])):
            members = [s for s in v["series"] if s in written and self.ok(f"series.{s}.conversion_price")]
            if members != v["series"]:
                self.review("a class vote on conversion of " + ", ".join(v["series"])
                            + f" (line {v['line']}) names a series left out of the model; not written")
                continue
            self.w("# ---------------------------------------------------------------- Conversion by class vote")
            self.w("[[class_votes]]")
            self.w(f"id = {_s('vote' + str(i + 1))}")
            self.w("series = [" + ", ".join(_s(toml_id(s)) for s in members) + "]")
            self.w(f"threshold = {_s(fmt_value(v['threshold']))}")
            self.w(f"strict = {'true' if v['strict'] else 'false'}")
            self.w(f"source = {_s(v['source'] or 'line ' + str(v['line']))}")
            self.w(f"# line {v['line']}: {v['quote'][:150]}")
            self.w()

    def auto(self, written: list[str]) -> None:
        price = self.fact("auto.offering_min_price")
        proceeds = self.fact("auto.offering_min_proceeds")
        vote = self.fact("auto.vote_threshold")
        group = self.fact("auto.vote_group")
        val = self.d.extra.get("auto.min_valuation")
        facts = [f for f in (price, proceeds, vote, group) if f is not None]
        if not facts or not written:
            self.w("# No automatic conversion drafted (none read).")
            self.w()
            return
        self.w("# ---------------------------------------------------------------- Automatic conversion")
        bad = [f for f in facts if f.review]
        for f in bad:
            self.review(f"automatic conversion: {f.key} = {fmt_value(f.value)} not certain"
                        + (f" ({f.note})" if f.note else "") + "; left out", f)
        self.w("[[automatic_conversion]]")
        self.w('id = "automatic"')
        self.w("series = [" + ", ".join(_s(toml_id(s)) for s in written) + "]")
        src = None
        if price is not None and not price.review:
            self.value_line("min_price_per_share", price)
            src = src or _src(price)
        if proceeds is not None and not proceeds.review:
            self.value_line("min_aggregate", proceeds)
            basis = self.ok("auto.offering_proceeds_basis")
            if basis is not None and basis.value == "net":
                self.w("# the charter measures NET proceeds; the model's min_aggregate is the offering size")
            src = src or _src(proceeds)
        if val is not None:
            self.w(f"min_valuation = {_s(fmt_value(val[0]))}")
            self.w(f"# valuation threshold, {val[1]}")
        if vote is not None and not vote.review and (group is None or not group.review):
            strict = self.d.extra.get("auto.vote_strict", False)
            self.w("vote = { series = [" + ", ".join(_s(toml_id(s)) for s in written) + "], threshold = "
                   + _s(fmt_value(vote.value)) + f", strict = {'true' if strict else 'false'} }}")
            self.w(f"# {_cite(vote)}")
            src = src or _src(vote)
        self.w(f"source = {_s(src or _src(facts[0]))}")
        self.w()

    def dividends(self, written: list[str]) -> None:
        lines = []
        for sid in written:
            for k in ("dividend_percent", "dividend_rate", "dividend_cumulative"):
                f = self.fact(f"series.{sid}.{k}")
                if f is not None:
                    lines.append(f"#   Series {sid} {k} = {fmt_value(f.value)} ({f.source}, line {f.line})"
                                 + (" REVIEW" if f.review else ""))
        if lines:
            self.w("# Dividends read (the model holds declared-but-unpaid dividends in [captable.dividends];")
            self.w("# accruing or cumulative dividends added to a preference are not in today's format):")
            self.lines.extend(lines)
            cum = [sid for sid in written if self.d.value(f"series.{sid}.dividend_cumulative") is True]
            if cum:
                self.review("cumulative dividends for " + ", ".join(f"Series {s}" for s in cum)
                            + " are not in the model: the preference holds no accrued amount")
            self.w()

    def captable(self, written: list[str]) -> None:
        self.w("# ---------------------------------------------------------------- Cap table: ASSUMPTIONS")
        self.w("[captable]")
        self.w("assumption = true")
        common = self.ok("authorized.common")
        classes = [f for f in self.d.facts if f.key.startswith("authorized.common.") and not f.review]
        if self.captable_common is not None:
            self.w(f"common_outstanding = {self.captable_common}")
            self.w('note = "Common outstanding from --captable; every series outstanding = its designated number '
                   '(assumed); no declared but unpaid dividends (assumed)."')
        elif common is not None or classes:
            n = int(common.value) if common is not None else sum(int(f.value) for f in classes)
            self.w(f"common_outstanding = {n}")
            self.w('note = "Assumed: common outstanding = common authorized; every series outstanding = its '
                   'designated number; no declared but unpaid dividends."')
        else:
            self.complete = False
            self.why_incomplete.append("no common share count (authorized common not read; give --captable)")
            self.w("# common_outstanding: not known (authorized common not read)")
        if written:
            self.w()
            self.w("[captable.outstanding]   # assumed: outstanding = designated")
            for sid in written:
                self.w(f"{toml_id(sid)} = {self.d.value(f'series.{sid}.designated')}")
        self.w()


def write_model(draft: Draft, text_path: str, out_dir: Path | str = ".",
                captable_common: int | None = None) -> tuple[str, list[str], list[str]]:
    """(toml text, review items, reasons the model is incomplete)."""
    from ..model import ModelError, loads_model

    w = Writer(draft, text_path, Path(out_dir), captable_common)
    text = w.build()
    if w.reviews:
        text += "\n# Review items:\n" + "".join(f"#  - {r}\n" for r in w.reviews)
    if not w.why_incomplete:
        try:
            loads_model(text, str(Path(out_dir) / "draft.toml"), base_dir=Path(out_dir))
        except ModelError as e:
            w.why_incomplete.append("the draft does not load: " + " ".join(str(e).split()))
    return text, w.reviews, w.why_incomplete

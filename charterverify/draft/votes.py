"""Automatic conversion: the offering that triggers it and the vote that can force it.

How charters say it (NVCA 5.1 and variants): "Upon either (a) the closing of the sale of
shares of Common Stock to the public at a price of at least $15.00 per share, in a firm
commitment underwritten public offering ... resulting in at least $20,000,000 of gross
proceeds to the Corporation ... or (b) the date and time ... specified by vote or written
consent of the holders of a majority of the then outstanding shares of Preferred Stock
..., then all outstanding shares of Preferred Stock shall automatically be converted".
The offering may be a defined term ("Qualified Public Offering" shall mean ...), read from
its definition.  A price stated as a multiple of an issue price ("three times the Series B
Original Issue Price") is computed from that price; two votes that must both be given
(a majority of the Preferred and 60% of Series B) are a review item: the fact holds one.
"""

from __future__ import annotations

import re
from .facts import Context, Sentence, majority_or_percent, money, series_mentions
from .preference import multiple_before

def _auto_sentences(ctx: Context) -> list[Sentence]:
    out = [s for s in ctx.sents if re.search(r"automatic", s.text, re.I) and re.search(r"conver", s.text, re.I)]
    # the definition of the qualifying offering, when the trigger names one
    terms = set()
    for s in out:
        for m in re.finditer(r"\b(Qualified\s+(?:Initial\s+)?(?:Public\s+Offering|IPO|Offering)|QPO|QIPO)\b", s.text):
            terms.add(m.group(1))
    for s in ctx.sents:
        if s in out:
            continue
        for term in terms:
            if re.search(r"\"\s*" + re.escape(term) + r"\s*\"", s.text) and re.search(r"offering|public|underwrit", s.text, re.I):
                out.append(s)
    return out


def draft(ctx: Context) -> None:
    draft_class_votes(ctx)
    sents = _auto_sentences(ctx)
    for s in sents:
        t = s.text
        if not re.search(r"public\s+offering|underwritten|Securities\s+Act|IPO|initial\s+public", t, re.I):
            continue
        for a in money(t):
            ctx_before = t[max(0, a.start - 160):a.start]
            ctx_after = t[a.end:a.end + 60]
            if a.value < 1000 and re.search(r"per\s+share", ctx_after + ctx_before[-40:], re.I) and \
                    re.search(r"not\s+less\s+than|at\s+least|equal\s+to\s+or\s+(?:greater|more|in\s+excess)|(?:greater|more)\s+than|"
                              r"exceed|minimum|no\s+less\s+than|in\s+excess\s+of", ctx_before[-60:], re.I):
                if re.search(r"par\s+value|dividend", ctx_before[-40:], re.I):
                    continue
                ctx.emit("auto.offering_min_price", a.value, s, a.start, a.end + 10)
            elif a.value >= 1000000:
                near = ctx_before[-120:] + " " + ctx_after
                if re.search(r"valuation|market\s+capitali[sz]ation|valued", ctx_before[-70:], re.I):
                    ctx.draft.extra.setdefault("auto.min_valuation", (a.value, ctx.label(s.start + a.start)))
                    continue  # a valuation threshold: not a fact key today
                if not re.search(r"proceeds|aggregate|offering", near, re.I):
                    continue
                ctx.emit("auto.offering_min_proceeds", a.value, s, a.start, a.end + 10)
                wide = t[max(0, a.start - 200):a.end + 200]
                if re.search(r"\bgross\b|before\s+(?:deduct|payment\s+of)|prior\s+to\s+deduct", wide, re.I):
                    if not re.search(r"\bnet\b", wide, re.I):
                        ctx.emit("auto.offering_proceeds_basis", "gross", s, a.start, a.end + 10)
                elif re.search(r"\bnet\b|after\s+deduct", wide, re.I):
                    ctx.emit("auto.offering_proceeds_basis", "net", s, a.start, a.end + 10)
        # a price as a multiple of a series' issue price
        if ctx.draft.get("auto.offering_min_price") is None:
            m = re.search(r"(?:price|not\s+less\s+than|at\s+least)[^.;$]{0,60}?(?:Original\s+Series\s+[\w-]+\s+Issue\s+Price|"
                          r"Series\s+[\w-]+\s+(?:Preferred\s+)?Original\s+Issue\s+Price|Original\s+Issue\s+Price\s+of\s+the\s+Series\s+[\w-]+)", t)
            if m:
                mult = multiple_before(t, m.end() - len(re.search(r"(?:Original|Series)[\w\s-]*$", m.group(0)).group(0)))
                named = series_mentions(m.group(0), ctx.series)
                if mult and named:
                    oip = ctx.draft.get(f"series.{named[0].sid}.original_issue_price")
                    if oip is not None and not oip.review:
                        ctx.emit("auto.offering_min_price", mult[0] * oip.value, s, m.start(), m.end(),
                                 also=((oip.source, oip.line),), note=f"{mult[0]} x the Series {named[0].sid} issue price")
    # the vote: every automatic-conversion sentence that names one
    found = []
    for s in sents:
        t = s.text
        if not re.search(r"automatic", t, re.I):
            continue
        votes = list(re.finditer(r"(?:vote|consent|election|request)[^.;$]{0,40}?"
                                 r"(?:of|by|from)\s+(?:the\s+)?(?:holders\s+(?:of\s+)?)?(.{0,260}?)(?:then\s+)?outstanding"
                                 r"(?:\s+shares\s+of\s+([^,;()]{0,160}))?", t, re.I))
        votes = [v for v in votes if majority_or_percent(v.group(1) or "") or re.search(r"Requisite|Majority", v.group(1) or "")]
        if not votes:
            continue
        v = votes[0]
        thr = majority_or_percent(v.group(1))
        if thr is None:
            term = re.search(r"\b((?:Requisite|Required|Majority)\s+(?:Preferred\s+)?(?:Holders|Investors))\b", v.group(1))
            if term:
                d = next((x for x in ctx.sents if re.search(r"\"\s*" + term.group(1) + r"\s*\"", x.text)
                          and re.search(r"mean|shall\s+be|refer", x.text)), None)
                if d is not None:
                    thr = majority_or_percent(d.text)
        if thr is None:
            continue
        several = len(votes) > 1 or bool(re.search(r"\band\s+(?:\(\w+\)\s+)?the\s+(?:vote|consent)|voting\s+separately|"
                                                   r"as\s+a\s+separate\s+(?:class|series)", t[v.start():v.end() + 200], re.I))
        group_text = (v.group(2) or "") + " " + v.group(1)
        named = series_mentions(group_text, ctx.series)
        if named and not re.search(r"Preferred\s+Stock\s*(?:,|$|\(|voting)", group_text.split("Series")[0]):
            grp = ", ".join(dict.fromkeys(m.sid for m in named))
        elif re.search(r"Preferred", group_text):
            grp = "all preferred"
        else:
            grp = None
        found.append((s, v, thr, several, grp))
    if not found:
        return
    distinct = {(f[2][0], f[4]) for f in found}
    s, v, thr, several, grp = found[0]
    review = several or len(distinct) > 1
    note = "more than one vote is required" if several else (
        "the automatic-conversion votes differ by series" if len(distinct) > 1 else "")
    ctx.draft.extra["auto.vote_strict"] = thr[1]
    ctx.emit("auto.vote_threshold", thr[0], s, v.start(), v.end(), review=review, note=note)
    if grp is not None:
        ctx.emit("auto.vote_group", grp, s, v.start(), v.end(), review=review or grp != "all preferred",
                 note=note or ("a vote of named series" if grp != "all preferred" else ""))


def draft_class_votes(ctx: Context) -> None:
    """Optional conversion decided by a class vote: "The Series A ... and Series D Preferred
    Stock shall be convertible, at any time upon the election of the holders of at least a
    majority of the then-outstanding shares of Series A ... voting together as a single
    class", and cash paid on conversion ("a cash payment in an amount equal to $0.925 for
    each share of Series A Preferred Stock held").  Kept in `Draft.extra` for the writer:
    the fact vocabulary has no key for them."""
    from .facts import pair
    from .preference import per_share_amounts

    votes = ctx.draft.extra.setdefault("class_votes", [])
    cash = ctx.draft.extra.setdefault("cash_on_conversion", {})
    for s in ctx.sents:
        t = s.text
        cv = re.search(r"shall\s+be\s+convertible", t, re.I)
        if not cv or re.search(r"automatic", t, re.I):
            continue
        em = re.search(r"(?:upon|at|by)\s+the\s+(?:election|vote|written\s+consent|consent)\s+of\s+the\s+holders\s+of\s+"
                       r"(.{0,80}?)(?:of\s+)?(?:the\s+)?(?:then[\s-]+)?outstanding\s+shares\s+of\s+(.{0,300}?)"
                       r"voting\s+together\s+as\s+a\s+single\s+class", t[cv.end():cv.end() + 600], re.I | re.S)
        if not em:
            continue
        thr = majority_or_percent(em.group(1))
        subject = list(dict.fromkeys(m.sid for m in series_mentions(t[:cv.start()], ctx.series)))
        group = list(dict.fromkeys(m.sid for m in series_mentions(em.group(2), ctx.series)))
        if thr is None or not subject or set(group) != set(subject):
            continue
        a = cv.end() + em.start()
        votes.append({"series": subject, "threshold": thr[0], "strict": thr[1], "source": ctx.label(s.start + a),
                      "line": ctx.line(s.start + a), "quote": ctx.quote(s, a, cv.end() + em.end())})
        # cash paid with each converted share
        amts = [x for x in per_share_amounts(t) if re.search(r"cash\s+payment[^$]{0,40}$", t[max(0, x.start - 60):x.start], re.I)]
        got = pair(t, series_mentions(t, ctx.series), amts) or {}
        for sid, x in got.items():
            if sid in subject:
                cash[sid] = (x.value, ctx.label(s.start + x.start), ctx.line(s.start + x.start))

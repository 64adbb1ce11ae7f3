"""Participation after the preferences: none, full, or capped (cap = total per share).

How charters say it:
* none: "the remaining assets ... shall be distributed among the holders of Common Stock
  pro rata" (the preferred are not named), or the NVCA "greater of (i) the Original
  Issue Price ... or (ii) such amount per share as would have been payable had all shares
  ... been converted" (a non-participating preferred that may convert).
* full: "... distributed among the holders of the Common Stock and the Series A Preferred
  ... pro rata based on the number of shares held by each (as if converted)".
* capped: "... until the holders of Series E ... shall have received an aggregate of
  $10.375 ... per share (including amounts paid pursuant to subsection (a))"; "three
  times (3x) the Original Issue Price"; a "Maximum Participation Amount".
"""

from __future__ import annotations

import re
from fractions import Fraction

from .facts import Context, pair, series_mentions
from .preference import LiqClause, all_mentions, expand_groups, multiple_before, per_share_amounts

_REMAINING = re.compile(r"(?:remaining|balance\s+of\s+(?:the\s+)?|remainder\s+of\s+(?:the\s+)?)\s*(?:assets|funds|proceeds)|"
                        r"assets\s+(?:and\s+funds\s+)?remaining|"
                        r"after\s+(?:the\s+)?payment\s+(?:in\s+full\s+)?of\s+(?:the\s+|all\s+)?(?:full\s+)?(?:liquidation\s+preferences?|"
                        r"preferential\s+amounts?)[^.;]{0,200}?,\s+(?:the\s+)?(?:entire\s+)?(?:remaining\s+)?assets", re.I)


_CAP_CUE = re.compile(r"shall\s+(?:not\s+)?exceed|greater\s+than\s+the\s+sum|greater\s+than\s+\$|Maximum\s+Participation|"
                      r"Participation\s+Cap|in\s+no\s+event[^.;]{0,80}exceed", re.I)


def _read_caps(ctx: Context, s, at: int, part: list[str]) -> tuple[dict, set]:
    """Caps stated after a cue: "$2.20172 ... Series A-1" (paired) or "three (3) times the
    Original Issue Price applicable to such series" (every participant not named)."""
    from .facts import Amount

    t = s.text
    out: dict[str, tuple[Fraction, int, int]] = {}
    amts = [Amount(a.value, a.start + at, a.end + at, a.kind) for a in per_share_amounts(t[at:])]
    ms = [m for m in series_mentions(t, ctx.series)]
    if amts:
        got = pair(t, [m for m in ms if m.end > at - 400], amts) or {}
        if not got and len({a.value for a in amts}) == 1 and not [m for m in ms if m.start > at]:
            got = {sid: amts[0] for sid in part}  # one cap for every participant
        for sid, a in got.items():
            if sid in part:
                out[sid] = (a.value, a.start, a.end)
    for om in re.finditer(r"(?:Original|Issue|Purchase)[\w\s\"'-]{0,40}?Price", t[at:]):
        st = at + om.start()
        mult = multiple_before(t, st)
        if not mult:
            continue
        # the series this multiple is for: named in its own item, or all participants
        seg_lo = max(t.rfind(";", 0, st), at)
        named = [m.sid for m in series_mentions(t[seg_lo:st], ctx.series)]
        targets = [x for x in (named or part) if x in part and x not in out]
        for sid in targets:
            oip = ctx.draft.get(f"series.{sid}.original_issue_price")
            if oip is None or oip.review:
                continue
            out[sid] = (mult[0] * oip.value, mult[1], at + om.end())
    return out, set()


def draft(ctx: Context, clauses: list[LiqClause]) -> None:
    if not clauses:
        return
    start = ctx.sents.index(clauses[0].sent)
    end = min(len(ctx.sents), ctx.sents.index(clauses[-1].sent) + 16)
    decided: set[str] = set()
    residual_done = False
    for s in ctx.sents[start:end]:
        t = s.text
        rm = _REMAINING.search(t)
        if not rm or not re.search(r"distribut|paid|receive|entitled\s+to\s+share", t, re.I):
            continue
        if re.search(r"insufficient|not\s+be\s+sufficient", t, re.I) or any(lc.sent is s for lc in clauses):
            continue  # the shortfall rule of a tier, or a preference clause, not the residual
        hm = None
        for cand in re.finditer(r"holders\s+of\s+(.{0,600}?)(?:pro\s+rata|ratably|in\s+proportion|\bbased\b|on\s+an?\s+|"
                                r"until|\bshall\b|,\s+from|by\s+reason|an\s+amount|the\s+amount|$)", t, re.I | re.S):
            if re.search(r"Common", cand.group(1), re.I):
                hm = cand
                break
        if not hm:
            continue
        who = hm.group(1)
        part = expand_groups(ctx, all_mentions(ctx, who))
        if not part and re.search(r"Preferred\s+Stock|Series\s+Preferred|Preferred\b", who) and \
                re.search(r"as[\s-]+if\b[^.;]{0,40}convert|as[\s-]+converted|assuming[^.;]{0,20}conversion|converted\s+basis", t, re.I):
            part = list(ctx.series)
        base = min(rm.start(), hm.start())
        if residual_done:
            break  # "thereafter ... to the holders of Common Stock" after a cap is not a second rule
        for sid in ctx.series:
            if sid not in decided and sid not in part:
                ctx.emit(f"series.{sid}.participation", "none", s, hm.start(), hm.end())
                decided.add(sid)
        if not part:
            continue
        um = re.search(r"\buntil\b", t[base:])
        caps: dict[str, Fraction] = {}
        cap_sent: dict = {}
        cap_where: dict[str, tuple[int, int]] = {}
        review: set[str] = set()
        if um:
            tail_at = base + um.start()
            tail = t[tail_at:]
            amts = per_share_amounts(tail)
            if amts:
                from .facts import Amount
                amts = [Amount(a.value, a.start + tail_at, a.end + tail_at, a.kind) for a in amts]
                ms = [m for m in series_mentions(t, ctx.series) if m.start >= tail_at]
                got = pair(t, ms, amts) or {}
                if not got and len(part) == 1 and len(amts) == 1:
                    got = {part[0]: amts[0]}
                for sid, a in got.items():
                    caps[sid] = a.value
                    cap_where[sid] = (a.start, a.end)
            else:
                om = re.search(r"(?:Original|Issue|Purchase)[\w\s\"'-]{0,40}?Price", tail)
                mult = multiple_before(t, tail_at + om.start()) if om else None
                if mult:
                    for sid in part:
                        oip = ctx.draft.get(f"series.{sid}.original_issue_price")
                        if oip is None or oip.review:
                            review.add(sid)
                            continue
                        caps[sid] = mult[0] * oip.value
                        cap_where[sid] = (mult[1], tail_at + om.end())
                else:
                    review.update(part)
        if um is None:
            i = ctx.sents.index(s)
            region = [(s, hm.end())] + [(x, 0) for x in ctx.sents[i + 1:i + 3]]
            for x, at in region:
                cm = _CAP_CUE.search(x.text, at)
                if cm is None:
                    continue
                um = cm
                got, rv = _read_caps(ctx, x, cm.start(), part)
                for sid, (v, a, b) in got.items():
                    if sid not in caps:
                        caps[sid] = v
                        cap_where[sid] = (a, b)
                        cap_sent[sid] = x
                review |= rv
                break
        residual_done = True
        for sid in part:
            if sid in decided:
                continue
            decided.add(sid)
            if um is None:
                ctx.emit(f"series.{sid}.participation", "full", s, hm.start(), hm.end())
            elif sid in caps:
                ctx.emit(f"series.{sid}.participation", "capped", s, hm.start(), hm.end())
                a, b = cap_where[sid]
                ctx.emit(f"series.{sid}.participation_cap_per_share", caps[sid], cap_sent.get(sid, s), a, b)
            else:
                ctx.emit(f"series.{sid}.participation", "capped", s, hm.start(), hm.end(), review=True,
                         note="participation ends at a cap that was not read")
    # "the greater of (i) ... Original Issue Price ... or (ii) ... as-converted": non-participating
    for lc in clauses:
        t = lc.sent.text
        if re.search(r"greater\s+of", t, re.I) and re.search(r"convert", t, re.I):
            for sid in lc.receivers:
                if sid not in decided:
                    ctx.emit(f"series.{sid}.participation", "none", lc.sent, t.lower().find("greater of"),
                             t.lower().find("greater of") + 80)
                    decided.add(sid)

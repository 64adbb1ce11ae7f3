"""Original issue prices and liquidation preferences.

How charters say it:
* a defined term: ""Original Issue Price" shall mean $4.5143 per share for the Series A
  Preferred Stock, $4.5143 per share for the Series B ..."; "the "Series A Original Issue
  Price" shall mean $3.155066667 per share"; "The "Original Issue Price" of the Series C
  Preferred shall be $18.64"; or inline in the liquidation clause: "$0.90 for each
  outstanding share of Series A Preferred Stock (the "Original Series A Issue Price")".
* the preference: "the holders of Series A ... shall be entitled to receive, prior and in
  preference to any distribution ... to the holders of Common Stock ..., an amount per
  share equal to [the sum of (i)] $0.90 for each ... / the Original Issue Price / two
  times (2x) the Original Issue Price [plus declared but unpaid dividends]"; or a defined
  term ""Liquidation Preference" shall mean $1.7909 per share for the Series C".
A fixed aggregate amount ("$45,000,000 ... among the holders of Series A-2") is divided by
shares outstanding, which the charter does not state: review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

from .facts import Amount, Context, Mention, Sentence, money, pair, series_mentions, words_to_int

OIP_TERM = re.compile(r"(?:Original|Issue|Purchase)\b[\w\s\"'-]{0,40}?Price", re.I)
_TERMS = {
    "oip": re.compile(r"(?:Issue|Purchase|Original\s+Series\s+[\w-]+\s+Issue)\s+Price", re.I),
    "conv": re.compile(r"Conversion\s+(?:Price|Value|Rate)", re.I),
    "liq": re.compile(r"Liquidation\s+(?:Preference|Amount|Price|Value)|Preference\s+(?:Amount|Price)|"
                      r"preferential amount", re.I),
    "div": re.compile(r"dividends?\s+(?:rate|at\s+the\s+rate|in\s+an\s+amount|equal|of\s+\$)|rate\s+of|per\s+annum", re.I),
    "cap": re.compile(r"Participation\s+(?:Cap|Amount)|Maximum\s+Participation", re.I),
    "par": re.compile(r"par\s+value", re.I),
}


def nearest_term(s: str, a: Amount, window: int = 140) -> str | None:
    best, dist = None, window + 1
    name: str | None
    for name, rx in _TERMS.items():
        for m in rx.finditer(s):
            d = a.start - m.end() if m.end() <= a.start else m.start() - a.end
            if name == "oip":
                w = re.search(r"([A-Z][a-z]+)\s$", s[max(0, m.start() - 20):m.start()])
                if w and w.group(1) not in ("Original", "Preferred", "Stock", "Series", "Seed", "Safe", "Junior", "Senior"):
                    name = "other"  # "Series A Rollover Issue Price" is not the original issue price
            if d < 0:
                d = 0
            if d < dist:
                best, dist = name, d
    return best


def amounts_of(s: str, amts: list[Amount], kinds: tuple) -> list[Amount]:
    """The amounts whose nearest defined term is of one of `kinds`; an amount with no term
    near it belongs to the term of its list (no other term between it and a listed one)."""
    terms = [nearest_term(s, a) for a in amts]
    ok = [t in kinds for t in terms]
    for _ in range(len(amts)):
        for i, a in enumerate(amts):
            if ok[i] or terms[i] is not None:
                continue
            for j in (i - 1, i + 1):
                if 0 <= j < len(amts) and ok[j]:
                    lo, hi = sorted((amts[i].end, amts[j].start)) if j > i else sorted((amts[j].end, amts[i].start))
                    if not any(rx.search(s[lo:hi]) for rx in _TERMS.values()):
                        ok[i] = True
    return [a for a, k in zip(amts, ok) if k]


def per_share_amounts(s: str) -> list[Amount]:
    """Dollar amounts that can be per-share prices (not par values, not aggregates)."""
    out = []
    for a in money(s):
        if a.value >= 1000:
            continue
        around = s[max(0, a.start - 30):a.end + 30]
        if re.search(r"par\s+value", around, re.I) and not re.search(r"Price|Preference", around):
            continue
        out.append(a)
    return out


def expand_groups(ctx: Context, mentions: list[Mention]) -> list[str]:
    """Series ids a list of mentions names; "Series G" stands for G-1 ... G-6 when the
    charter has no Series G of its own."""
    out: list[str] = []
    for m in mentions:
        if m.sid in ctx.series:
            ids = [m.sid]
        else:
            ids = [x for x in ctx.series if re.match(re.escape(m.sid) + r"-?\d", x)]
        for x in ids:
            if x not in out:
                out.append(x)
    return out


def all_mentions(ctx: Context, s: str) -> list[Mention]:
    known = ctx.series + [x for x in {m.sid for m in series_mentions(s)} if any(
        re.match(re.escape(x) + r"-?\d", k) for k in ctx.series)]
    out = series_mentions(s, known)
    # a defined group ("Senior Preferred", "Prior Series Preferred", "Junior Preferred Stock")
    work = s
    for term, members in sorted(find_groups(ctx).items(), key=lambda kv: -len(kv[0])):
        for m in re.finditer(r"(?<!Series\s)(?<![A-Z0-9]\s)\b" + re.escape(term) + r"\b", work):
            out.extend(Mention(x, m.start(), m.end()) for x in members)
            work = work[:m.start()] + "#" * (m.end() - m.start()) + work[m.end():]  # "Prior Series Preferred" once
    out.sort(key=lambda x: x.start)
    return out


_NOT_GROUPS = ("Preferred Stock", "Preferred", "Capital Stock", "Common Stock", "Stock")


def _group_definitions(t: str):
    """(term, text naming its members) for each way a sentence defines a group of series:
    "(collectively, the "Prior Series Preferred")" after the list, "referred to as the "..."" after
    it, and ""Senior Preferred" means ..." before it."""
    for m in re.finditer(r"\((?:collectively|together|each)?,?\s*(?:referred\s+to\s+(?:herein\s+)?as\s+)?(?:the\s+)?"
                         r"\"\s*([A-Z][A-Za-z -]{2,40}?)\s*\"\s*\)", t):
        if re.match(r"\((?:collectively|together)", m.group(0)):
            lo = max(0, m.start() - 1500)
        else:
            lo = max(t.rfind(";", 0, m.start()), t.rfind("(the", 0, m.start() - 1), t.rfind(")", 0, m.start() - 1),
                     m.start() - 300, 0)
        yield m.group(1).strip(), t[lo:m.start()]
    for m in re.finditer(r"referred\s+to\s+(?:herein\s+)?(?:collectively\s+|together\s+)?as\s+(?:the\s+)?"
                         r"\"\s*([A-Z][A-Za-z -]{2,40}?)\s*[.,]?\s*\"", t):
        yield m.group(1).strip(), t[:m.start()]
    for m in re.finditer(r"\"\s*([A-Z][A-Za-z -]{2,40}?)\s*\"\s+(?:shall\s+mean|means|shall\s+refer\s+to|refers\s+to)"
                         r"\s+(.{0,300})", t):
        yield m.group(1).strip(), m.group(2)


def find_groups(ctx: Context) -> dict[str, list[str]]:
    """Defined names of groups of series: "Series A, B, C and D Preferred (collectively, the
    "Prior Series Preferred")" or ""Senior Preferred" means the Series A and Series B"."""
    cached = ctx.draft.extra.get("groups")
    if cached is not None:
        return cached
    groups: dict[str, list[str]] = {}
    for s in ctx.sents:
        for term, members in _group_definitions(s.text):
            if not re.search(r"(?:Preferred|Stock|Shares)$", term) or series_mentions(term, ctx.series) \
                    or term in _NOT_GROUPS:
                continue
            ids = list(dict.fromkeys(x.sid for x in series_mentions(members, ctx.series)))
            if len(ids) >= 2 and term not in groups:
                groups[term] = ids
    ctx.draft.extra["groups"] = groups
    return groups


def draft_oip(ctx: Context) -> None:
    for s in ctx.sents:
        t = s.text
        if not OIP_TERM.search(t):
            continue
        if re.search(r"dividend", t, re.I) and re.search(r"\brate\b|per\s+annum", t, re.I) and \
                not re.search(r"\"[^\"]{0,40}(?:Issue|Purchase)\s+Price\s*\"", t):
            continue
        amts = amounts_of(t, per_share_amounts(t), ("oip",))
        if not amts:
            continue
        ms = series_mentions(t, ctx.series)
        got = pair(t, ms, amts)
        if not got:
            continue
        for sid, a in got.items():
            m = min((x for x in ms if x.sid == sid), key=lambda x: abs(x.start - a.start))
            ctx.emit(f"series.{sid}.original_issue_price", a.value, s, min(a.start, m.start), max(a.end, m.end))


# ---------------------------------------------------------------------------- liquidation clauses

_PREF_WORDS = re.compile(r"prior\s+and\s+in\s+preference\s+to|in\s+preference\s+to|prior\s+to\s+(?:and\s+in\s+preference\s+to\s+)?any"
                         r"|before\s+any\s+(?:payment|distribution)|senior\s+to|after\s+(?:the\s+)?payment\s+(?:in\s+full\s+)?of|"
                         r"pari\s+passu|on\s+a\s+parity|on\s+an\s+equal\s+basis", re.I)
_RECEIVE = re.compile(r"(?:shall|will)\s+(?:first\s+)?be\s+entitled\s+to\s+(?:be\s+paid|receive)|(?:shall|will)\s+(?:first\s+)?be\s+paid|"
                      r"(?:shall|will)\s+(?:first\s+)?receive|are\s+entitled\s+to\s+receive", re.I)


@dataclass
class LiqClause:
    sent: Sentence
    receivers: list[str]
    juniors: list[str]  # series named as paid after the receivers
    seniors: list[str]  # series named as paid before ("after payment of ... Series A")
    common_junior: bool
    verb_at: int
    pari: list[str] = field(default_factory=list)


def liquidation_clauses(ctx: Context) -> list[LiqClause]:
    out: list[LiqClause] = []
    in_liq = False
    for s in ctx.sents:
        t = s.text
        if re.search(r"liquidat|winding\s+up|Liquidation Event|dissolution", t, re.I):
            in_liq = True
        if not in_liq:
            continue
        if re.search(r"\bconver(?:t|sion)\b", t[:200], re.I) and not re.search(r"liquidat|winding", t, re.I):
            continue
        v = _RECEIVE.search(t)
        if not v or not _PREF_WORDS.search(t):
            continue
        if not re.search(r"liquidat|winding\s+up|dissolution|Liquidation\s+Event", t, re.I):
            c = ctx.outline.clause_at_offset(s.start)
            heads = " ".join(x.heading for x in (c.chain if c else []))
            near = out and ctx.sents.index(s) - ctx.sents.index(out[-1].sent) <= 6
            if not re.search(r"liquidat", heads, re.I) and not near:
                continue
        if re.search(r"dividend", t[:v.end() + 30], re.I):
            continue
        # only the first receive clause of the sentence
        before = t[:v.start()]
        if re.search(r"remaining\s+(?:assets|funds|proceeds)[^;]{0,200}among", before, re.I):
            continue  # the residual distribution (participation), not a preference
        # the receivers: the holders named in the clause that holds the verb
        seg_start = max(before.rfind(";"), before.rfind(" After payment"), 0)
        head = t[seg_start:v.start()]
        seniors: list[str] = []
        am = re.search(r"after\s+(?:the\s+)?(?:payment|distribution).{0,300}?(?=,\s+(?:each\s+|the\s+)?holders?\b|;|$)", head, re.I | re.S)
        if am:
            seniors = expand_groups(ctx, all_mentions(ctx, am.group(0)))
            head = head[:am.start()] + " " * (am.end() - am.start()) + head[am.end():]
        hm = list(re.finditer(r"holders?\s+of", head, re.I))
        recv_text = head[hm[-1].start():] if hm else head
        receivers = expand_groups(ctx, all_mentions(ctx, recv_text))
        if not receivers and re.search(r"holders\s+of\s+(?:the\s+)?(?:shares\s+of\s+)?(?:(?:each|any|all)\s+(?:series\s+of\s+)?)?"
                                       r"(?:the\s+)?(?:outstanding\s+)?(?:shares\s+of\s+)?(?:Series\s+)?Preferred", recv_text, re.I):
            receivers = list(ctx.series)
        if not receivers or re.search(r"Common\s+Stock", recv_text, re.I):
            continue
        # the juniors: "in preference to any distribution ... to the holders of X, Y and Common Stock"
        juniors: list[str] = []
        common_junior = False
        pm = re.search(r"(?:in\s+preference\s+to|prior\s+to|before)\s+any\s+(?:payment|distribution|declaration)[^;]*?"
                       r"(?:holders\s+of|in\s+respect\s+of|on)\s+(.{0,400}?)(?:by\s+reason|,\s+an\s+amount|an\s+amount|"
                       r",\s+but\s+after|\bthe\s+holders\b|$|;)", t, re.I | re.S)
        if pm:
            jt = pm.group(1)
            juniors = [x for x in expand_groups(ctx, all_mentions(ctx, jt)) if x not in receivers and x not in seniors]
            common_junior = bool(re.search(r"Common", jt))
        if not seniors and re.search(r"after\s+(?:the\s+)?(?:payment|distribution)\s+(?:in\s+full\s+)?of\s+(?:the\s+|all\s+)?"
                                     r"(?:full\s+)?(?:liquidation\s+preference|preferential\s+amount|amounts?)", t, re.I):
            # "but after payment of the liquidation preference set forth in Section 3(a)": junior to
            # every clause before it in this section
            seniors = [x for lc in out for x in lc.receivers]
        out.append(LiqClause(s, receivers, juniors, [x for x in seniors if x not in receivers], common_junior,
                             v.start()))
    return out


_MULT_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "one and one-half": Fraction(3, 2),
               "one and a half": Fraction(3, 2), "one and one half": Fraction(3, 2)}


def multiple_before(t: str, at: int) -> tuple[Fraction, int] | None:
    """"two times (2x) the", "1.5 times the", "two (2) times the", "200% of the", "the product
    of (i) 1.75, multiplied by (ii) the" right before `at`."""
    pre = t[max(0, at - 60):at]
    m = re.search(r"product\s+of\s+(?:\(i\)\s*)?(\d+(?:\.\d+)?)\s*,?\s*(?:multiplied\s+by|and|times)\s+(?:\(ii\)\s*)?(?:the\s+)?"
                  r"(?:applicable\s+)?$", pre)
    if m:
        return Fraction(m.group(1)), max(0, at - 60) + m.start()
    m = re.search(r"(\d+(?:\.\d+)?)\s*(?:times|x|X)\s*(?:\(\s*\d+(?:\.\d+)?\s*[xX]?\s*\)\s*)?(?:the\s+)?(?:sum\s+of\s+)?(?:\(i\)\s*)?(?:the\s+)?(?:applicable\s+)?$", pre)
    if m:
        return Fraction(m.group(1)), m.start()
    m = re.search(r"([a-z -]+?)\s*(?:\(\s*(\d+(?:\.\d+)?)\s*[xX]?\s*\)\s*)?times\s*(?:\(\s*(\d+(?:\.\d+)?)\s*[xX]?\s*\)\s*)?(?:the\s+)?(?:applicable\s+)?$", pre, re.I)
    if m:
        num = m.group(2) or m.group(3)
        if num:
            return Fraction(num), m.start()
        w = m.group(1).strip().lower()
        for k in sorted(_MULT_WORDS, key=len, reverse=True):
            if w.endswith(k):
                return Fraction(_MULT_WORDS[k]), m.start()
        v = words_to_int(w.split()[-1]) if w.split() else None
        if v:
            return Fraction(v), m.start()
    m = re.search(r"(\d+(?:\.\d+)?)\s*%\s*of\s+(?:the\s+)?(?:applicable\s+)?$", pre)
    if m:
        return Fraction(m.group(1)) / 100, m.start()
    return None


def draft_preferences(ctx: Context, clauses: list[LiqClause]) -> None:
    for lc in clauses:
        t = lc.sent.text
        body = t[lc.verb_at:]
        off = lc.verb_at
        amts = [Amount(a.value, a.start + off, a.end + off, a.kind) for a in per_share_amounts(body)]
        amts = [a for a in amts if nearest_term(t, a) not in ("conv", "cap", "par")
                and not re.search(r"dividend", t[max(0, a.start - 40):a.start], re.I)]
        done: set[str] = set()
        if amts:
            ms = [m for m in series_mentions(t, ctx.series) if m.start >= lc.verb_at]
            got = {k: v for k, v in (pair(t, ms, amts) or {}).items() if k in lc.receivers}
            if not got and len(lc.receivers) == 1 and len({a.value for a in amts}) == 1:
                got = {lc.receivers[0]: amts[0]}
            for sid, a in (got or {}).items():
                if sid not in lc.receivers:
                    continue
                mult = multiple_before(t, a.start)
                v = a.value * (mult[0] if mult else 1)
                ctx.emit(f"series.{sid}.preference_per_share", v, lc.sent, a.start, a.end + 30)
                done.add(sid)
        # "an amount (per share) equal to [N times] the [applicable] Original Issue Price"
        for m in re.finditer(r"(?:Original|Issue|Purchase)[\w\s\"'-]{0,40}?Price", body):
            start = m.start() + off
            window = t[max(lc.verb_at, start - 160):start]
            if not re.search(r"amount|equal|sum|greater\s+of|times|%", window, re.I):
                continue
            mult = multiple_before(t, start)
            k = mult[0] if mult else Fraction(1)
            named = series_mentions(m.group(0), ctx.series)
            if not named:  # "the Original Issue Price of the Series D-2 Preferred Stock"
                of = re.match(r"\s+(?:of|for)\s+(?:the\s+|such\s+)?(Series\s+[\w-]+(?:\s+\d+)?)", t[m.end() + off:m.end() + off + 40])
                named = series_mentions(of.group(1), ctx.series) if of else []
            targets = [named[0].sid] if named else lc.receivers
            for sid in targets:
                if sid in done:
                    continue
                oip = ctx.draft.get(f"series.{sid}.original_issue_price")
                if oip is None or oip.review:
                    ctx.emit(f"series.{sid}.preference_per_share", Fraction(0), lc.sent, start - 40, m.end() + off,
                             review=True, note="preference stated by reference to an Original Issue Price "
                             "that was not read")
                    done.add(sid)
                    continue
                ctx.emit(f"series.{sid}.preference_per_share", k * oip.value, lc.sent,
                         (mult[1] if mult else start), m.end() + off, also=((oip.source, oip.line),),
                         note=(f"{k} x the Original Issue Price" if k != 1 else "the Original Issue Price"))
                done.add(sid)
            if not named:
                break
    # a fixed aggregate amount divided by the shares: "the quotient of (i) $45,000,000, divided by (ii)
    # the total number of shares of Series A-2 outstanding" -> per share with outstanding = designated
    for lc in clauses:
        t = lc.sent.text
        for m in re.finditer(r"quotient\s+of\s+(?:\(i\)\s*)?(\$[\d,]+(?:\.\d+)?)\s*,?\s*divided\s+by\s+(?:\(ii\)\s*)?"
                             r"the\s+(?:total\s+|aggregate\s+)?number\s+of\s+(?:shares\s+of\s+)?(.{0,60}?)outstanding", t, re.I):
            ms = series_mentions(m.group(2), ctx.series)
            des = ctx.draft.get(f"series.{ms[0].sid}.designated") if ms else None
            if not ms or des is None or ms[0].sid not in lc.receivers:
                continue
            total = money(m.group(1))[0].value
            ctx.emit(f"series.{ms[0].sid}.preference_per_share", total / des.value, lc.sent, m.start(), m.end(),
                     replace=True, also=((des.source, des.line),),
                     note="a fixed aggregate divided by the shares outstanding, taken as the shares designated")
    # a defined term: "Liquidation Preference" shall mean $x per share for the Series A ...
    for s in ctx.sents:
        t = s.text
        if not re.search(r"Liquidation\s+(?:Preference|Amount)\W{0,3}\s+(?:shall\s+mean|means)", t):
            continue
        amts = [a for a in per_share_amounts(t)]
        got = pair(t, series_mentions(t, ctx.series), amts)
        for sid, a in (got or {}).items():
            ctx.emit(f"series.{sid}.preference_per_share", a.value, s, a.start, a.end + 30, replace=True)


def draft(ctx: Context) -> list[LiqClause]:
    draft_oip(ctx)
    clauses = liquidation_clauses(ctx)
    draft_preferences(ctx, clauses)
    return clauses

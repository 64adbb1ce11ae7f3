"""Deterministic synthetic charters for the performance benchmarks.

`generate(n, seed)` returns the TOML text of a charter with `n` preferred series
shaped like a late-stage venture company's: financing rounds at drifting prices,
seniority in several tiers (later rounds senior, some rounds pari passu with the
one before), 1x-2x preferences, a mix of non-participating, capped and fully
participating series, anti-dilution-adjusted conversion prices, and the earliest
series converting only together by a class vote (as Quintus' A-D). The same
(n, seed) always gives the same text (a private `random.Random(seed * 1000 + n)`).

`model(n, seed)` loads it with `charterverify.model.loads_model`.

    python benchmarks/synthetic.py 20            # print the 20-series charter
    python benchmarks/synthetic.py 20 --summary  # one line: units, tiers, participation mix
    python benchmarks/synthetic.py --late        # the late-stage charter (15 series, 33 pools)
"""

from __future__ import annotations

import random
import sys
from decimal import ROUND_HALF_UP, Decimal

SIZES = (5, 10, 20, 40, 80)
DEFAULT_SEED = 2024


def series_id(i: int) -> str:
    """A..Z, then A2..Z2, A3.. (the series of the i-th round)."""
    letter = chr(ord("A") + i % 26)
    return letter if i < 26 else f"{letter}{i // 26 + 1}"


def _money(x: float | Decimal, places: str = "0.0001") -> str:
    d = Decimal(str(x)).quantize(Decimal(places), rounding=ROUND_HALF_UP)
    s = format(d.normalize(), "f")
    return s


def class_vote_size(n: int) -> int:
    """How many of the earliest series convert only by the class vote."""
    if n <= 10:
        return 2
    if n <= 20:
        return 3
    return 4


def generate(n: int, seed: int = DEFAULT_SEED, pools: int = 0) -> str:
    """The charter's TOML text; `pools` adds that many option pools (options and warrants on
    common) at distinct exercise prices spread below and above the series' prices."""
    if n < 2:
        raise ValueError("a synthetic charter needs at least 2 series")
    rng = random.Random(seed * 1000 + n)
    k_vote = class_vote_size(n)

    # ---- financing rounds: price random walk, raise of $2M-$40M
    rounds = []
    price = rng.uniform(0.40, 1.20)
    for i in range(n):
        if i:
            price = min(60.0, max(0.50, price * rng.uniform(0.85, 1.55)))  # flat, down and up rounds
        oip = Decimal(_money(price))
        raised = rng.uniform(2e6, 40e6) * (1 + i / max(1, n))  # later rounds somewhat larger
        shares = max(10_000, int(raised / float(oip) / 1000) * 1000)
        if i < k_vote:
            kind = "none"  # early series: non-participating, convert by the class vote
        else:
            kind = rng.choices(("none", "capped", "full"), weights=(40, 35, 25))[0]
        mult = Decimal(1) if i < k_vote else Decimal(rng.choices(("1", "1.5", "2"), weights=(70, 20, 10))[0])
        pref = oip * mult
        cap = None
        if kind == "capped":
            cap = pref + oip * Decimal(rng.choice(("1", "1.5", "2")))
        if i >= k_vote and rng.random() < 0.3:  # weighted-average anti-dilution: conversion price below OIP
            cprice = Decimal(_money(float(oip) * rng.uniform(0.75, 0.95)))
        else:
            cprice = oip
        rounds.append(dict(id=series_id(i), oip=oip, shares=shares, kind=kind, pref=pref, cap=cap, cprice=cprice))

    # ---- seniority: chronological groups of 1-3 rounds (pari passu inside), later groups senior
    groups: list[list[int]] = []
    i = 0
    while i < n:
        size = rng.choices((1, 2, 3), weights=(45, 35, 20))[0]
        groups.append(list(range(i, min(n, i + size))))
        i += size
    # the class-vote series share a tier with the rounds right after them, as in Quintus
    if len(groups) > 1 and max(groups[0]) < k_vote - 1:
        merged = sorted(set(groups[0]) | set(groups[1]))
        groups[:2] = [merged]

    common = int(sum(r["shares"] for r in rounds) * rng.uniform(0.30, 0.60) / 1000) * 1000
    conv_shares = sum(r["shares"] * r["oip"] / r["cprice"] for r in rounds)
    common_auth = int((common + conv_shares) * Decimal("1.25") / 1_000_000 + 1) * 1_000_000
    pref_auth = int(sum(r["shares"] for r in rounds) * 1.1 / 1_000_000 + 1) * 1_000_000

    out: list[str] = []
    w = out.append
    w(f"# Synthetic charter: {n} series, seed {seed} (benchmarks/synthetic.py). Not a real company.")
    w("format = 1")
    w("")
    w("[charter]")
    w(f'id = "synthetic-{n}"')
    w(f'name = "Synthetic {n}-Series Corporation"')
    w("")
    w("[common]")
    w(f"authorized = {common_auth}")
    w('source = "IV.A"')
    w("")
    w("[preferred]")
    w(f"authorized = {pref_auth}")
    w('source = "IV.A"')
    for idx, r in enumerate(rounds):
        w("")
        w("[[series]]")
        w(f'id = "{r["id"]}"')
        w(f'name = "Series {r["id"]} Preferred Stock"')
        w(f"designated = {r['shares']}")
        w(f'original_issue_price = "{_money(r["oip"])}"')
        w('source = "IV.B"')
        w("")
        w("[series.preference]")
        w(f'per_share = "{_money(r["pref"])}"')
        w(f'source = "IV.B.2(a)({idx + 1})"')
        w("")
        w("[series.participation]")
        w(f'kind = "{r["kind"]}"')
        if r["cap"] is not None:
            w(f'cap = "{_money(r["cap"])}"')
        w('source = "IV.B.2(b)"')
        w("")
        w("[series.conversion]")
        w(f'price = "{_money(r["cprice"])}"')
        w(f'source = "IV.B.4({idx + 1})"')
    for gi, g in enumerate(reversed(groups)):
        w("")
        w("[[tiers]]")
        w(f'id = "tier{gi + 1}"')
        w("series = [" + ", ".join(f'"{rounds[j]["id"]}"' for j in g) + "]")
        w(f'shortfall = "{rng.choices(("preference", "original_issue_price", "shares"), weights=(60, 25, 15))[0]}"')
        w('source = "IV.B.2(a)"')
    w("")
    w("[[class_votes]]")
    w('id = "early"')
    w("series = [" + ", ".join(f'"{rounds[j]["id"]}"' for j in range(k_vote)) + "]")
    w('threshold = "1/2"')
    w("strict = true")
    w('source = "IV.B.4(a)"')
    w("")
    w("[readings]")
    w('cap_dropout = "own_cap"')
    w("")
    w("[captable]")
    w("assumption = true")
    w(f"common_outstanding = {common}")
    w('note = "synthetic: every series outstanding = its designated number"')
    top = max(float(r["oip"]) for r in rounds)
    for k in range(pools):
        strike = _money(top * (k + 1) / (pools + 1) * rng.uniform(0.9, 1.1), "0.01")
        w("")
        w("[[captable.options]]")
        w(f'id = "pool{k + 1}"')
        w(f"count = {int(common * rng.uniform(0.01, 0.05) / 1000 + 1) * 1000}")
        w(f'exercise_price = "{strike}"')
        w('buys = "common"')
        w(f'source = "option plan, tranche {k + 1} (assumption)"')
    return "\n".join(out) + "\n"


LATE_SERIES = 15
LATE_TIERS = 5
LATE_TRANCHES = 30
LATE_WARRANTS = 3
LATE_VOTE = 4  # the earliest series converting together by the class vote: 15 - 4 + 1 = 12 deciding units


def late_stage(seed: int = DEFAULT_SEED, vote: int = LATE_VOTE, tranches: int = LATE_TRANCHES) -> str:
    """A realistic late-stage cap table (issue 16): 15 series in 5 seniority tiers of 3 (later tiers
    senior, pari passu inside), mixed participation (non-participating, capped, full; 1x-2x), the
    `vote` earliest series converting only together by one class vote, 30 option tranches of the
    equity plan at distinct strikes (from a cent to above the latest round's price), and 3 warrant
    pools for common (lenders' and a partner's). Every pool buys common: they are resolved by the
    threshold on the value per common share (charterverify/options.py), so the game is the
    15 - vote + 1 series units. `tranches` < 30 keeps the lowest strikes only (the scaling figure).
    Same seed, same text."""
    rng = random.Random(seed * 7919 + 15)
    rounds = []
    price = rng.uniform(0.20, 0.60)
    for i in range(LATE_SERIES):
        if i:
            price = min(80.0, max(0.30, price * rng.uniform(0.9, 1.6)))
        oip = Decimal(_money(price))
        raised = rng.uniform(3e6, 20e6) * (1 + 3 * i / LATE_SERIES)
        shares = max(10_000, int(raised / float(oip) / 1000) * 1000)
        if i < vote:
            kind = "none"
        else:
            kind = ("none", "capped", "full")[i % 3] if rng.random() < 0.7 else rng.choice(("none", "capped", "full"))
        mult = Decimal(1) if i < vote else Decimal(rng.choices(("1", "1.5", "2"), weights=(70, 20, 10))[0])
        pref = oip * mult
        cap = pref + oip * Decimal(rng.choice(("1", "2", "3"))) if kind == "capped" else None
        cprice = Decimal(_money(float(oip) * rng.uniform(0.8, 0.95))) if i >= vote and rng.random() < 0.3 else oip
        rounds.append(dict(id=series_id(i), oip=oip, shares=shares, kind=kind, pref=pref, cap=cap, cprice=cprice))
    common = int(sum(r["shares"] for r in rounds) * rng.uniform(0.35, 0.5) / 1000) * 1000
    out: list[str] = []
    w = out.append
    w(f"# Synthetic late-stage charter, seed {seed} (benchmarks/synthetic.py late_stage). Not a real company.")
    w("format = 1\n\n[charter]")
    w(f'id = "late-stage-{seed}"')
    w('name = "Synthetic Late-Stage Corporation"')
    for idx, r in enumerate(rounds):
        w(f'\n[[series]]\nid = "{r["id"]}"\nname = "Series {r["id"]} Preferred Stock"\ndesignated = {r["shares"]}')
        w(f'original_issue_price = "{_money(r["oip"])}"\nsource = "IV.B"')
        w(f'\n[series.preference]\nper_share = "{_money(r["pref"])}"\nsource = "IV.B.2(a)({idx + 1})"')
        w(f'\n[series.participation]\nkind = "{r["kind"]}"')
        if r["cap"] is not None:
            w(f'cap = "{_money(r["cap"])}"')
        w('source = "IV.B.2(b)"')
        w(f'\n[series.conversion]\nprice = "{_money(r["cprice"])}"\nsource = "IV.B.4({idx + 1})"')
    per = LATE_SERIES // LATE_TIERS
    for t in range(LATE_TIERS):  # most senior (latest rounds) first
        members = [rounds[j]["id"] for j in range(LATE_SERIES - per * (t + 1), LATE_SERIES - per * t)]
        w(f'\n[[tiers]]\nid = "tier{t + 1}"\nseries = [' + ", ".join(f'"{m}"' for m in members) + "]")
        w(f'shortfall = "{("preference", "original_issue_price", "shares")[t % 3]}"\nsource = "IV.B.2(a)"')
    w('\n[[class_votes]]\nid = "early"\nseries = [' + ", ".join(f'"{rounds[j]["id"]}"' for j in range(vote)) + "]")
    w('threshold = "1/2"\nstrict = true\nsource = "IV.B.4(a)"')
    w('\n[readings]\ncap_dropout = "own_cap"')
    w(f"\n[captable]\nassumption = true\ncommon_outstanding = {common}")
    top = float(rounds[-1]["oip"])
    strikes = sorted({_money(0.01 + (top * 1.2) * (k / LATE_TRANCHES) ** 1.5, "0.01") for k in range(LATE_TRANCHES)})
    while len(strikes) < LATE_TRANCHES:  # distinct strikes
        strikes = sorted(set(strikes) | {_money(float(strikes[-1]) + 0.37 * len(strikes), "0.01")})
    for k, strike in enumerate(strikes[:tranches]):
        w(f'\n[[captable.options]]\nid = "tranche{k + 1:02d}"\ncount = {int(common * rng.uniform(0.002, 0.01) / 100 + 1) * 100}')
        w(f'exercise_price = "{strike}"\nbuys = "common"\nsource = "equity plan grant ledger (assumption)"')
    for k in range(LATE_WARRANTS):
        wp = _money(float(rounds[rng.randrange(LATE_SERIES)]["oip"]) * rng.uniform(0.9, 1.1), "0.01")
        w(f'\n[[captable.options]]\nid = "warrant{k + 1}"\ncount = {int(common * rng.uniform(0.002, 0.008) / 100 + 1) * 100}')
        w(f'exercise_price = "{wp}"\nbuys = "common"\nsource = "warrant to purchase common stock (assumption)"')
    return "\n".join(out) + "\n"


def late_model(seed: int = DEFAULT_SEED, vote: int = LATE_VOTE, tranches: int = LATE_TRANCHES):
    from charterverify.model import loads_model

    return loads_model(late_stage(seed, vote, tranches), f"<late-stage-{seed}>")


def model(n: int, seed: int = DEFAULT_SEED, pools: int = 0):
    from charterverify.model import loads_model

    return loads_model(generate(n, seed, pools), f"<synthetic-{n}>")


def summary(n: int, seed: int = DEFAULT_SEED) -> dict:
    m = model(n, seed)
    kinds: dict[str, int] = {}
    for s in m.series:
        kinds[s.participation.kind if s.participation else "none"] = kinds.get(
            s.participation.kind if s.participation else "none", 0) + 1
    units = m.units()
    vote = next(u for u in units if u.kind == "class_vote")
    return {
        "series": len(m.series),
        "units": len(units),
        "profiles": 2 ** len(units),
        "tiers": len(m.tiers),
        "pari_passu_tiers": sum(1 for t in m.tiers if len(t.series) > 1),
        "participation": kinds,
        "adjusted_conversion_prices": sum(1 for s in m.series if s.conversion and s.ratio != 1),
        "class_vote": {"series": list(vote.members), "controller": vote.controller},
        "total_preference": str(sum(s.preference_per_share * m.outstanding(s.id) for s in m.series)),
        "common_outstanding": m.captable.common_outstanding,
    }


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    size = int(args[0]) if args else 10
    seed = int(args[1]) if len(args) > 1 else DEFAULT_SEED
    if "--late" in sys.argv:
        sys.stdout.write(late_stage(int(args[0]) if args else DEFAULT_SEED))
    elif "--summary" in sys.argv:
        import json

        print(json.dumps(summary(size, seed)))
    else:
        sys.stdout.write(generate(size, seed))

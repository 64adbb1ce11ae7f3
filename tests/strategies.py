"""Hypothesis strategies: random valid charter models (as TOML text) and exit values.

`charter_texts()` draws the TOML text of a small but feature-rich charter
(docs/charter-format.md); `charters()` draws `(text, model)` with the model built by
`loads_model`; `exit_values(model)` draws exact exit values at 0, small amounts,
around each tier's cumulative preference stack, and large amounts (Fractions,
including non-integers).

Every drawn model has at most `MAX_UNITS` deciding units (convertible series outside a
class vote + class votes + option pools) so the direct evaluator's brute force over
2**units profiles stays fast.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

from charterverify.model import Charter, loads_model

MAX_UNITS = 5
SERIES_IDS = ("A", "B", "C", "D", "E")

F = Fraction


# ---------------------------------------------------------------- numbers


def fmt_decimal(units: int, places: int) -> str:
    """`units / 10**places` written as an exact decimal string (no binary float)."""
    if places == 0:
        return str(units)
    s = str(units).rjust(places + 1, "0")
    return f"{s[:-places]}.{s[-places:]}"


@st.composite
def prices(draw, hi: int = 20, allow_zero: bool = False) -> str:
    """A price with 0..4 decimals as a string, in (0, hi] dollars ([0, hi] if allow_zero)."""
    places = draw(st.integers(0, 4))
    units = draw(st.integers(0 if allow_zero else 1, hi * 10**places))
    return fmt_decimal(units, places)


# ---------------------------------------------------------------- charters


@st.composite
def charter_spec(draw) -> dict:
    """A plain-dict description of a random charter (turned into TOML by `spec_to_toml`)."""
    n = draw(st.integers(1, 5))
    ids = list(SERIES_IDS[:n])
    series = []
    for sid in ids:
        designated = draw(st.integers(1, 2000))
        outstanding = draw(st.one_of(st.just(designated), st.integers(1, designated)))
        oip = draw(prices(20))
        s: dict = {"id": sid, "designated": designated, "outstanding": outstanding, "oip": oip}
        # preference: none, = OIP (omitted per_share), or a different amount (maybe 0)
        pk = draw(st.sampled_from(["oip", "oip", "other", "none", "multiple"]))
        if pk == "oip":
            s["pref"] = "oip"
            pref = F(oip)
        elif pk == "multiple":  # a preference stated as a multiple of the original issue price (2x)
            s["pref"] = "oip"
            s["multiple"] = draw(st.sampled_from(["2", "3"]))
            pref = F(oip) * F(s["multiple"])
        elif pk == "other":
            s["pref"] = draw(st.one_of(prices(20), st.just("0")))
            pref = F(s["pref"])
        else:
            s["pref"] = None
            pref = F(0)
        kind = draw(st.sampled_from(["none", "none", "full", "capped"]))
        s["participation"] = kind
        if kind == "capped":
            extra = draw(st.one_of(st.just("0"), prices(20)))
            cap = pref + F(extra)
            if cap == 0:
                cap = F(1)
            # cap as an exact decimal string (pref and extra have <= 4 decimals)
            s["cap"] = fmt_decimal(int(cap * 10**4), 4)
        if draw(st.integers(0, 4)) > 0:  # most series convert
            cp = draw(prices(20))
            if F(cp) == F(oip):
                cp = fmt_decimal(int(F(cp) * 2 * 10**4), 4)
            s["conversion"] = cp
            if draw(st.integers(0, 3)) == 0:
                s["cash"] = draw(prices(3))
        if draw(st.integers(0, 3)) == 0:
            s["dividend"] = draw(prices(2))
        if draw(st.integers(0, 3)) == 0:  # accruing dividends, as of the scenario date
            acc = {"start": f"{draw(st.integers(2016, 2021))}-{draw(st.integers(1, 12)):02d}-{draw(st.sampled_from([1, 15, 28, 31])):02d}"}
            if acc["start"].endswith("-31") and acc["start"][5:7] in ("02", "04", "06", "09", "11"):
                acc["start"] = acc["start"][:-2] + "28"
            if draw(st.booleans()):
                acc["rate"] = draw(st.sampled_from(["0.08", "0.06", "0.1", "0.125"]))
            else:
                acc["per_share"] = draw(prices(2))
            acc["compounding"] = draw(st.sampled_from(["simple", "simple", "annual", "semiannual", "quarterly"]))
            if draw(st.integers(0, 2)) == 0:
                acc["cap"] = draw(prices(5))
            if draw(st.integers(0, 4)) == 0:
                acc["in_preference"] = False
            s["accrual"] = acc
        # "the greater of" the preference (or the capped total) or the as-converted amount (convertible)
        if kind in ("none", "capped") and "conversion" in s and pref > 0 and draw(st.integers(0, 2)) == 0:
            s["greater_of"] = True
        series.append(s)

    # seniority tiers: 1..3 pari passu groups, most senior first
    ntiers = draw(st.integers(1, min(3, n)))
    order = draw(st.permutations(ids))
    cuts = sorted(draw(st.lists(st.integers(1, n - 1), min_size=ntiers - 1, max_size=ntiers - 1, unique=True))) if n > 1 else []
    groups, prev = [], 0
    for c in cuts + [n]:
        groups.append(list(order[prev:c]))
        prev = c
    tiers = [
        {"id": f"t{i}", "series": g, "shortfall": draw(st.sampled_from(["preference", "original_issue_price", "shares"]))}
        for i, g in enumerate(groups)
    ]
    for t in tiers:  # an aggregate cap on the tier's preferences, now and then
        if draw(st.integers(0, 3)) == 0:
            t["cap"] = str(draw(st.integers(1, 20000)))

    # optional class vote over 2..3 convertible series
    convertible = [s["id"] for s in series if "conversion" in s]
    vote = None
    if len(convertible) >= 2 and draw(st.booleans()):
        k = draw(st.integers(2, min(3, len(convertible))))
        members = draw(st.lists(st.sampled_from(convertible), min_size=k, max_size=k, unique=True))
        vote = {"id": "cv", "series": members, "threshold": "1/2", "strict": draw(st.booleans())}
        if draw(st.booleans()):
            # balanced holdings, so that often no single series carries the vote (group total
            # decides): two members hold exactly half each, three hold within 25% of each other
            base = draw(st.integers(1, 1600))
            for s in series:
                if s["id"] in members:
                    n_sh = base if k == 2 else base + draw(st.integers(0, base // 4))
                    s["designated"] = s["outstanding"] = n_sh

    series_units = len(convertible) - (len(vote["series"]) - 1 if vote else 0)
    max_pools = max(0, min(2, MAX_UNITS - series_units))
    pools = []
    for i in range(draw(st.integers(0, max_pools))):
        pools.append({
            "id": f"pool{i}",
            "count": draw(st.integers(1, 2000)),
            "exercise_price": draw(prices(5, allow_zero=True)),
            "buys": draw(st.sampled_from(["common"] + ids)),
        })

    scenario = {}
    if draw(st.booleans()):
        scenario["transaction_costs"] = draw(prices(5000))
    if draw(st.booleans()):
        scenario["carve_out"] = draw(prices(5000))
    if draw(st.booleans()):
        scenario["carve_out_percent"] = draw(st.sampled_from(["0.05", "0.1", "1/3", "0.125", "0.0001"]))

    catch_up = draw(st.one_of(st.none(), prices(3))) if draw(st.integers(0, 3)) == 0 else None
    redemption = None
    if draw(st.integers(0, 3)) == 0:  # a holders' redemption right, exercised at the scenario date
        members = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=len(ids), unique=True))
        redemption = {"series": members, "after": f"{draw(st.integers(2017, 2022))}-06-30",
                      "instalments": draw(st.integers(1, 3)),
                      "price": draw(st.one_of(st.none(), prices(10))),
                      "plus_dividends": draw(st.booleans())}
    date = None
    if any("accrual" in s for s in series) or redemption:
        date = f"{draw(st.integers(2019, 2024))}-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}"
    common = draw(st.integers(1, 5000))
    classes = []  # two or three classes of common with the same economics, now and then
    if common >= 3 and draw(st.integers(0, 3)) == 0:
        cuts = sorted(draw(st.lists(st.integers(1, common - 1), min_size=1, max_size=2, unique=True)))
        classes = [b - a for a, b in zip([0] + cuts, cuts + [common])]
    readings = {
        "cap_dropout": draw(st.sampled_from(["own_cap", "first_cap_ends"])),
        "cash_on_conversion": draw(st.sampled_from(["before_preferences", "after_preferences"])),
    }
    # optional conversion vote (automatic_conversion.vote): one or two classes, all together or each
    # series separately; played before a sale when the reading votes_in_sale says so (drawn last, so
    # the charters drawn above stay as they were)
    conv_vote = None
    if convertible and draw(st.booleans()):
        groups = []
        for _ in range(draw(st.integers(1, 2))):
            groups.append({
                "series": draw(st.lists(st.sampled_from(ids), min_size=1, max_size=len(ids), unique=True)),
                "threshold": draw(st.sampled_from(["1/2", "2/3", "0.6", "1/3"])),
                "strict": draw(st.booleans()),
                "separately": draw(st.integers(0, 3)) == 0,
            })
        conv_vote = {"series": draw(st.lists(st.sampled_from(convertible), min_size=1, max_size=len(convertible),
                                             unique=True)), "groups": groups}
        readings["votes_in_sale"] = draw(st.integers(0, 3)) > 0
    return {
        "series": series, "tiers": tiers, "vote": vote, "pools": pools, "scenario": scenario,
        "readings": readings, "common": common, "catch_up": catch_up, "date": date, "classes": classes,
        "redemption": redemption, "conv_vote": conv_vote,
    }


def spec_to_toml(spec: dict) -> str:
    out = ["format = 1", "", "[charter]", 'id = "random"', 'name = "Random Corp"', ""]
    for s in spec["series"]:
        out += ["[[series]]", f'id = "{s["id"]}"', f'designated = {s["designated"]}',
                f'original_issue_price = "{s["oip"]}"', 'source = "IV.B"', ""]
        if s["pref"] is not None:
            out += ["[series.preference]"]
            if s["pref"] != "oip":
                out += [f'per_share = "{s["pref"]}"']
            if "multiple" in s:
                out += [f'multiple = "{s["multiple"]}"']
            if s.get("greater_of"):
                out += ["greater_of_as_converted = true"]
            out += ['source = "IV.B.2(a)"', ""]
        if "accrual" in s:
            a = s["accrual"]
            out += ["[series.dividends]", f'start = {a["start"]}', f'compounding = "{a["compounding"]}"']
            out += [f'{k} = "{a[k]}"' for k in ("rate", "per_share", "cap") if k in a]
            if "in_preference" in a:
                out += ["in_preference = false"]
            out += ['source = "IV.B.1"', ""]
        if s["participation"] != "none":
            out += ["[series.participation]", f'kind = "{s["participation"]}"']
            if s["participation"] == "capped":
                out += [f'cap = "{s["cap"]}"']
            out += ['source = "IV.B.2(b)"', ""]
        if "conversion" in s:
            out += ["[series.conversion]", f'price = "{s["conversion"]}"', 'source = "IV.B.3(a)"']
            if "cash" in s:
                out += [f'cash_per_share = "{s["cash"]}"', 'cash_source = "IV.B.3(a)(i)"']
            out += [""]
    for t in spec["tiers"]:
        members = ", ".join(f'"{m}"' for m in t["series"])
        out += ["[[tiers]]", f'id = "{t["id"]}"', f"series = [{members}]",
                f'shortfall = "{t["shortfall"]}"', 'source = "IV.B.2(a)"']
        out += [f'cap = "{t["cap"]}"', ""] if "cap" in t else [""]
    v = spec["vote"]
    if v:
        members = ", ".join(f'"{m}"' for m in v["series"])
        out += ["[[class_votes]]", f'id = "{v["id"]}"', f"series = [{members}]",
                f'threshold = "{v["threshold"]}"', f'strict = {"true" if v["strict"] else "false"}',
                'source = "IV.B.3(a)"', ""]
    cv = spec.get("conv_vote")
    if cv:
        members = ", ".join(f'"{m}"' for m in cv["series"])
        groups = ", ".join(
            "{ series = [" + ", ".join(f'"{m}"' for m in g["series"]) + f'], threshold = "{g["threshold"]}", '
            f'strict = {"true" if g["strict"] else "false"}, separately = {"true" if g["separately"] else "false"} }}'
            for g in cv["groups"])
        out += ["[[automatic_conversion]]", 'id = "qpo"', f"series = [{members}]", 'min_aggregate = "1000000"',
                f"vote = [{groups}]", 'source = "IV.B.3(b)"', ""]
    r = spec["readings"]
    out += ["[readings]", f'cap_dropout = "{r["cap_dropout"]}"',
            f'cash_on_conversion = "{r["cash_on_conversion"]}"']
    if "votes_in_sale" in r:
        out += [f'votes_in_sale = {"true" if r["votes_in_sale"] else "false"}']
    out += [""]
    out += ["[captable]", "assumption = true", f'common_outstanding = {spec["common"]}', ""]
    out += ["[captable.outstanding]"] + [f'{s["id"]} = {s["outstanding"]}' for s in spec["series"]] + [""]
    divs = [s for s in spec["series"] if "dividend" in s]
    if divs:
        out += ["[captable.dividends]"] + [f'{s["id"]} = "{s["dividend"]}"' for s in divs] + [""]
    for p in spec["pools"]:
        out += ["[[captable.options]]", f'id = "{p["id"]}"', f'count = {p["count"]}',
                f'exercise_price = "{p["exercise_price"]}"', f'buys = "{p["buys"]}"', ""]
    if spec["scenario"] or spec.get("date"):
        out += ["[scenario]"] + [f'{k} = "{v}"' for k, v in spec["scenario"].items()] + ['source = "assumption"']
        out += [f'date = {spec["date"]}', ""] if spec.get("date") else [""]
    for i, n in enumerate(spec.get("classes", ())):
        out += ["[[common_classes]]", f'id = "class_{"abc"[i]}"', f"outstanding = {n}", 'source = "IV.A"', ""]
    r = spec.get("redemption")
    if r:
        members = ", ".join(f'"{m}"' for m in r["series"])
        out += ["[[redemption]]", 'id = "put"', f"series = [{members}]", f'after = {r["after"]}',
                f'instalments = {r["instalments"]}', f'plus_dividends = {"true" if r["plus_dividends"] else "false"}']
        out += [f'price_per_share = "{r["price"]}"'] if r["price"] is not None else []
        out += ['source = "IV.B.5"', ""]
    if spec.get("catch_up"):
        out += ["[catch_up]", f'per_share = "{spec["catch_up"]}"', 'source = "IV.B.2(b)"', ""]
    return "\n".join(out)


def charter_texts() -> st.SearchStrategy[str]:
    """Random valid charter models as TOML text."""
    return charter_spec().map(spec_to_toml)


def charters() -> st.SearchStrategy[tuple[str, Charter]]:
    """`(toml_text, model)` pairs; the model is checked to have at most MAX_UNITS deciding units."""

    def build(text: str) -> tuple[str, Charter]:
        model = loads_model(text, "<random>")
        if model.redemptions and model.scenario.date is not None:
            # the `--redeem DATE` scenario at the scenario date: the shares due become "<series>.redeemed"
            from charterverify.terms import redeem

            model = redeem(model, model.scenario.date)[0]
        assert len(model.units()) <= MAX_UNITS, text
        return text, model

    return charter_texts().map(build)


# ---------------------------------------------------------------- exit values


def preference_stack(model: Charter) -> list[Fraction]:
    """Cumulative amounts at which each tier's preferences (nobody converted, no pool
    exercised) are filled, starting with costs + fixed carve-out (grossed up for the
    carve-out percentage)."""
    sc = model.scenario
    keep = 1 - sc.carve_out_percent
    base = sc.transaction_costs + sc.carve_out / keep if keep else sc.transaction_costs
    out = [base]
    running = F(0)
    for t in model.tiers:
        tier_total = sum(((model.get_series(sid).preference_per_share + model.dividends(sid)) * model.outstanding(sid)
                          for sid in t.series), F(0))
        running += tier_total if t.cap is None else min(tier_total, t.cap)
        out.append(sc.transaction_costs + (sc.carve_out + running) / keep)
    return out


@st.composite
def exit_values(draw, model: Charter) -> Fraction:
    stack = preference_stack(model)
    top = max(stack)
    cash = sum((s.conversion.cash_per_share * model.outstanding(s.id)
                for s in model.series if s.conversion), F(0))
    kind = draw(st.sampled_from(["zero", "small", "stack", "stack", "near", "large", "huge"]))
    den = draw(st.sampled_from([1, 1, 2, 3, 7, 100, 10000]))
    if kind == "zero":
        return F(0)
    if kind == "small":
        return F(draw(st.integers(1, 50 * den)), den)
    if kind == "stack":
        point = draw(st.sampled_from(stack + [top + cash]))
        delta = F(draw(st.integers(-3 * den, 3 * den)), den)
        return max(F(0), point + delta)
    if kind == "near":
        return max(F(0), top * F(draw(st.integers(10, 400)), 100) + F(draw(st.integers(0, den)), den))
    if kind == "large":
        return (top + cash + 1) * draw(st.integers(2, 60)) + F(draw(st.integers(0, den)), den)
    return F(draw(st.integers(10**6, 10**8))) + F(draw(st.integers(0, den - 1)), den)


def critical_points(model: Charter, origin: Fraction, profile: tuple[bool, ...]) -> list[Fraction]:
    """Exit values right of `origin` where, for one strategy profile, a comparison of the
    waterfall flips (a tier fills, a cap binds, the cash is covered...) or a unit becomes
    indifferent to switching: the ties and kinks where an off-by-a-tie error would show.

    Computed with the affine numbers of `charterverify.affine` (the waterfall is linear
    once the choices are fixed), so the points are exact.
    """
    from charterverify.affine import variable
    from charterverify.evaluate import choice_of, waterfall
    from charterverify.game import unit_payoff

    units = model.units()
    x = variable(origin, +1)
    base = waterfall(model, x, choice_of(units, profile))
    points = set(x.tracker.causes)
    for i, u in enumerate(units):
        dev = profile[:i] + (not profile[i],) + profile[i + 1:]
        d = unit_payoff(model, u, base) - unit_payoff(model, u, waterfall(model, x, choice_of(units, dev)))
        if getattr(d, "s", 0):
            root = x.tracker.origin - d.v / d.s
            if root > 0:
                points.add(root)
    return sorted(p for p in points if p > 0)


@st.composite
def critical_exit_values(draw, model: Charter) -> Fraction:
    """An exit value at a kink or indifference point of some profile's waterfall (or, if
    none is found right of the starting point, an ordinary exit value)."""
    origin = draw(exit_values(model))
    profile = tuple(draw(st.booleans()) for _ in model.units())
    pts = critical_points(model, origin, profile)
    if not pts:
        return origin
    return draw(st.sampled_from(pts))


def any_exit_values(model: Charter) -> st.SearchStrategy[Fraction]:
    return st.one_of(exit_values(model), critical_exit_values(model))

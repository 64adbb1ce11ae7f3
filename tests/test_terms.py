"""Hand-worked tests of the terms issue 13 §2 adds to the format: accruing dividends, a preference
stated as a multiple, "the greater of" the preference or the as-converted amount, an aggregate cap on
a tier's preferences, a catch-up to common before participation. Every case runs both paths (the
direct evaluator and z3, `both`) and checks conservation and the equilibrium; the arithmetic is in
the comments."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from charterverify.model import ModelError, accrued_per_share, add_months, loads_model, with_date
from test_differential import HEAD, both, captable, expect, series, tier

F = Fraction
D = dt.date


def dividends(body: str) -> str:
    return "[series.dividends]\n" + body + 'source = "x"\n'


# ------------------------------------------------------------------ dividends


def test_add_months_clamps_to_the_month_end():
    assert add_months(D(2020, 1, 31), 1) == D(2020, 2, 29)  # leap year
    assert add_months(D(2021, 1, 31), 1) == D(2021, 2, 28)
    assert add_months(D(2021, 11, 30), 3) == D(2022, 2, 28)
    assert add_months(D(2021, 3, 15), 12) == D(2022, 3, 15)


# Simple: OIP $10, 8% a year -> $0.80 per share per year, from 2020-01-01 to 2022-07-01:
# two whole years (to 2022-01-01) and 181 of the 365 days of 2022-01-01..2023-01-01
# (Jan 31 + Feb 28 + Mar 31 + Apr 30 + May 31 + Jun 30 = 181):
# 0.80 x (2 + 181/365) = 0.80 x 911/365 = 3644/1825 (about $1.9967).
SIMPLE = series("A", 100, "10") + dividends('rate = "0.08"\nstart = 2020-01-01\n') + tier("t", ["A"]) + \
    captable(100) + '[scenario]\ndate = 2022-07-01\n'


def test_simple_dividend_accrues_and_enters_the_preference():
    m = loads_model(HEAD + SIMPLE, "<hand>")
    assert m.dividends("A") == F(3644, 1825)
    # full preference 100 x (10 + 3644/1825) = 1000 + 14576/73 (about 1199.67)
    full = 1000 + F(14576, 73)
    # E = 1100 < full: A takes everything; E = 2000: A its full preference, common the rest
    expect(both(SIMPLE, 1100), {"A": 1100, "common": 0})
    expect(both(SIMPLE, 2000), {"A": full, "common": 2000 - full})


def test_dividend_date_moves_with_with_date():
    m = loads_model(HEAD + SIMPLE, "<hand>")
    # a year later (2023-07-01): 3 years and 181/365 -> 0.80 x 1276/365 = 5104/1825
    assert with_date(m, D(2023, 7, 1)).dividends("A") == F(5104, 1825)
    # before the start: nothing accrues
    assert with_date(m, D(2019, 12, 31)).dividends("A") == 0


# Compounding annually: OIP $100, 10%, from 2020-03-01.
#   to 2023-03-01: three whole years, 100 x (1.1^3 - 1) = 33.1.
#   to 2023-09-01: then 184 of the 366 days of 2023-03-01..2024-03-01 (a leap February) accrue simply
#   on the compounded amount: 100 x (1.331 x (1 + 0.1 x 184/366) - 1) = 33.1 + 13.31 x 184/366
#   = 33.1 + 2449.04/366 (about 39.7913).
# Quarterly: $8 a year on OIP $100 is 2% a quarter; from 2021-01-15 to 2021-07-15, two quarters:
#   100 x (1.02^2 - 1) = 4.04.
def test_compounding_dividend():
    def s(body):
        return loads_model(HEAD + series("A", 10, "100") + dividends(body) + tier("t", ["A"]) + captable(10),
                           "<hand>").series[0]

    annual = s('rate = "0.10"\ncompounding = "annual"\nstart = 2020-03-01\n')
    assert accrued_per_share(annual, D(2023, 3, 1)) == F("33.1")
    assert accrued_per_share(annual, D(2023, 9, 1)) == F("33.1") + F("2449.04") / 366
    quarterly = s('per_share = "8"\ncompounding = "quarterly"\nstart = 2021-01-15\n')
    assert accrued_per_share(quarterly, D(2021, 7, 15)) == F("4.04")
    # the z3 path and the evaluator agree with the compounded amount in the preference:
    # 10 sh x (100 + 33.1) = 1331; at E = 2000 common (10 sh) takes 669
    body = (series("A", 10, "100") + dividends('rate = "0.10"\ncompounding = "annual"\nstart = 2020-03-01\n')
            + tier("t", ["A"]) + captable(10) + '[scenario]\ndate = 2023-03-01\n')
    expect(both(body, 2000), {"A": 1331, "common": 669})


# Capped: $1 a year from 2015-06-30, at most $2.50 in all. To 2020-06-30 five years would be $5: the
# cap holds it to $2.50. To 2016-12-30: one whole year (to 2016-06-30), then 183 days (Jun 30 -> Dec 30)
# of the 365 of 2016-06-30..2017-06-30 (no Feb 29 inside): 1 + 183/365 = 548/365 (under the cap).
def test_capped_dividend():
    body = series("A", 100, "10") + dividends('per_share = "1"\nstart = 2015-06-30\ncap = "2.50"\n') + \
        tier("t", ["A"]) + captable(100) + '[scenario]\ndate = 2020-06-30\n'
    m = loads_model(HEAD + body, "<hand>")
    assert m.dividends("A") == F("2.5")
    assert accrued_per_share(m.series[0], D(2016, 12, 30)) == F(548, 365)
    # preference 100 x 12.50 = 1250; E = 3000: common 1750
    expect(both(body, 3000), {"A": 1250, "common": 1750})


def test_dividend_outside_the_preference_and_declared_amounts_add():
    body = series("A", 100, "10") + dividends('per_share = "1"\nstart = 2015-06-30\nin_preference = false\n') + \
        tier("t", ["A"]) + captable(100, '[captable.dividends]\nA = "0.25"\n') + '[scenario]\ndate = 2020-06-30\n'
    m = loads_model(HEAD + body, "<hand>")
    # only the declared-but-unpaid $0.25 enters the preference: 100 x 10.25 = 1025
    assert m.dividends("A") == F("0.25")
    expect(both(body, 2000), {"A": 1025, "common": 975})


@pytest.mark.parametrize("body, message", [
    ('rate = "0.08"\nper_share = "1"\nstart = 2020-01-01\n', "one of the two"),
    ('start = 2020-01-01\n', "one of the two"),
    ('rate = "8"\nstart = 2020-01-01\n', None),
    ('rate = "80"\nstart = 2020-01-01\n', "fraction of the original issue price"),
    ('rate = "0.08"\nstart = "2020-01-01"\n', "expected a date"),
    ('rate = "0.08"\nstart = 2020-01-01\ncompounding = "daily"\n', "must be one of"),
])
def test_dividend_errors(body, message):
    text = HEAD + series("A", 100, "10") + dividends(body) + tier("t", ["A"]) + captable(100)
    if message is None:
        loads_model(text, "<hand>")
        return
    with pytest.raises(ModelError, match=message):
        loads_model(text, "<hand>")


# ------------------------------------------------------------------ preferences


# A 2x preference stated as a multiple: OIP $2, multiple 2 -> $4 per share, 100 sh -> 400.
#   E = 300: A 300.   E = 1000: A 400, common 600.
MULTIPLE = series("A", 100, "2").replace('[series.preference]\nsource = "x"',
                                         '[series.preference]\nsource = "x"\nmultiple = "2"') + \
    tier("t", ["A"]) + captable(100)


@pytest.mark.parametrize("E, pay", [(300, {"A": 300, "common": 0}), (1000, {"A": 400, "common": 600})])
def test_preference_multiple(E, pay):
    assert loads_model(HEAD + MULTIPLE, "<hand>").series[0].preference_per_share == 4
    expect(both(MULTIPLE, E), pay)


def greater(text: str) -> str:
    return text.replace('[series.preference]\nsource = "x"',
                        '[series.preference]\nsource = "x"\ngreater_of_as_converted = true', 1)


# "The greater of" alone: A 100 sh, LP $1, converts 1:1, greater of the preference and the amount had
# all preferred converted; common 300. All converted: 400 shares, A's share E/4.
#   E = 200: max(100, 50) = 100 -> A 100, common 100.
#   E = 1000: max(100, 250) = 250 -> A 250, common 750, and A does NOT convert: converting pays the
#   same 250, a tie, and a tie keeps the preferred. (A plain non-participating preference converts
#   at E = 1000: 250 > 100; same payouts, but the game's choice differs.)
GREATER = greater(series("A", 100, "1", price="1")) + tier("t", ["A"]) + captable(300)


@pytest.mark.parametrize("E, pay", [(200, {"A": 100, "common": 100}), (1000, {"A": 250, "common": 750})])
def test_greater_of_alone(E, pay):
    expect(both(GREATER, E), pay, ())
    plain = GREATER.replace("greater_of_as_converted = true\n", "")
    expect(both(plain, E), pay, ("A",) if E == 1000 else ())


# The incentive it changes: A (greater of) 100 sh LP $1 and B (plain) 100 sh LP $5, both 1:1, one
# tier; common 200. All converted: 400 shares, A owed max(100, E/4).
#   E = 2000: A owed 500. B keeps: 500; B converts: (2000 - 500) x 100/300 = 500, a tie -> keeps.
#     A 500, B 500, common 1000. (A converting: (2000 - 500) x 100/300 = 500, a tie -> keeps.)
#   E = 2400: A owed 600. B keeps 500 < converts (2400 - 600)/3 = 600 -> B converts:
#     A 600, B 600, common 1200.
#   Without "the greater of" at E = 2000 A converts (keeping pays its $100; converting with B kept:
#     (2000 - 500) / 3 = 500): A 500, B 500, common 1000, converted (A,).
TWO = greater(series("A", 100, "1", price="1")) + series("B", 100, "5", price="5") + tier("t", ["A", "B"]) + \
    captable(200)


@pytest.mark.parametrize("E, pay, conv", [
    (2000, {"A": 500, "B": 500, "common": 1000}, ()),
    (2400, {"A": 600, "B": 600, "common": 1200}, ("B",)),
])
def test_greater_of_in_the_game(E, pay, conv):
    expect(both(TWO, E), pay, conv)


def test_greater_of_changes_who_converts():
    plain = TWO.replace("greater_of_as_converted = true\n", "")
    expect(both(plain, 2000), {"A": 500, "B": 500, "common": 1000}, ("A",))


def test_greater_of_needs_a_conversion_and_no_full_participation():
    with pytest.raises(ModelError, match="needs a conversion price"):
        loads_model(HEAD + greater(series("A", 100, "1")) + tier("t", ["A"]) + captable(1), "<hand>")
    with pytest.raises(ModelError, match="full participation"):
        loads_model(HEAD + greater(series("A", 100, "1", part="full", price="1")) + tier("t", ["A"]) + captable(1),
                    "<hand>")


# "The greater of" with capped participation (NVCA: when the cap binds, the greater of the cap amount and
# the as-converted amount): A 100 sh, OIP = LP $1, 1:1, capped at $2 a share (200 in all); common 100.
# All converted: 200 shares, A's as-converted amount E/2. A's cap room: max(200, E/2) - 100.
#   E = 300: room 100; the residual 200 is shared 1:1, A's 100 fits: A 200, common 100.
#   E = 500: room 150; residual 400 -> A would get 200 > 150: A 250 (= E/2), common 250.
#   E = 600: room 200: A 300, common 300; converting pays the same 300 (a tie): A keeps.
#   A plain capped A converts at E = 500 and 600 (E/2 > its cap of 200): the same payouts, another choice.
GREATER_CAPPED = greater(series("A", 100, "1", part="capped", cap="2", price="1")) + tier("t", ["A"]) + captable(100)


@pytest.mark.parametrize("E, pay", [
    (300, {"A": 200, "common": 100}),
    (500, {"A": 250, "common": 250}),
    (600, {"A": 300, "common": 300}),
])
def test_greater_of_with_capped_participation(E, pay):
    expect(both(GREATER_CAPPED, E), pay, ())
    plain = GREATER_CAPPED.replace("greater_of_as_converted = true\n", "")
    expect(both(plain, E), pay, ("A",) if E > 400 else ())  # plain: converts once E/2 > 200


# Where it changes the payouts: add B, 100 sh, LP $5, non-participating, 1:1, in A's tier. E = 1200;
# all converted 300 shares: A's as-converted amount 400, its room max(200, 400) - 100 = 300.
#   Nobody converts: preferences 100 + 500; the residual 600 is shared A : common 1 : 1, A's 300 fits:
#     A 400, B 500, common 300. B converting: A 100, then 1100 over A, B, common: A stops at its room
#     300, B and common 400 each: B 400 < 500, keeps. A converting: (1200 - 500) / 2 = 350 < 400, keeps.
#   Plain capped A: keeping pays 100 + 100 (cap) = 200, converting 350: A converts: A 350, B 500,
#     common 350.
def test_greater_of_with_capped_participation_changes_payouts():
    body = GREATER_CAPPED.replace(tier("t", ["A"]), "") + series("B", 100, "5", price="5") +         tier("t", ["A", "B"])
    expect(both(body, 1200), {"A": 400, "B": 500, "common": 300}, ())
    expect(both(body.replace("greater_of_as_converted = true\n", ""), 1200),
           {"A": 350, "B": 500, "common": 350}, ("A",))


# Aggregate cap on a tier: A 100 sh LP $10 (1000), B 100 sh LP $5 (500), one tier shared by preference,
# capped at 600 in all; common 100; no conversion. T = 1500 > 600: the tier pays min(R, 600),
# shared 1000 : 500.
#   E = 400: A 800/3, B 400/3.   E = 1000: A 400, B 200, common 400.
CAPPED_TIER = series("A", 100, "10") + series("B", 100, "5") + \
    tier("t", ["A", "B"]).replace('source = "x"', 'source = "x"\ncap = "600"') + captable(100)


@pytest.mark.parametrize("E, pay", [
    (400, {"A": F(800, 3), "B": F(400, 3), "common": 0}),
    (1000, {"A": 400, "B": 200, "common": 400}),
])
def test_aggregate_tier_cap(E, pay):
    expect(both(CAPPED_TIER, E), pay)


# Catch-up: A 100 sh LP $1 fully participating (no conversion); common 100; after the preference the
# common first receives $1 per share (100), then A and common share pro rata 1 : 1.
#   E = 150: A 100, common 50 (short of the catch-up).
#   E = 400: A 100 + 100, common 100 + 100: A 200, common 200 (without the catch-up: A 250, common 150).
CATCH = series("A", 100, "1", part="full") + tier("t", ["A"]) + captable(100) + \
    '[catch_up]\nper_share = "1"\nsource = "x"\n'


@pytest.mark.parametrize("E, pay", [(150, {"A": 100, "common": 50}), (400, {"A": 200, "common": 200})])
def test_catch_up(E, pay):
    expect(both(CATCH, E), pay)
    if E == 400:
        expect(both(CATCH.split("[catch_up]")[0], E), {"A": 250, "common": 150})


# ------------------------------------------------------------------ classes of common


# Two classes of common with the same economics: A 100 sh LP $1 (no conversion); common 300 =
# Class A 200 + Class B 100. E = 700: A 100, common 600 -> Class A 400, Class B 200 ($2 a share each).
CLASSES = series("A", 100, "1") + tier("t", ["A"]) + captable(300) + \
    '[[common_classes]]\nid = "class_a"\noutstanding = 200\nsource = "IV.A"\n' + \
    '[[common_classes]]\nid = "class_b"\noutstanding = 100\nsource = "IV.A"\n'


def test_two_classes_of_common():
    res = both(CLASSES, 700)
    expect(res, {"A": 100, "common": 600})
    assert res.common_classes == {"class_a": 400, "class_b": 200}
    assert res.to_json()["common_classes"] == {"class_a": "400", "class_b": "200"}


@pytest.mark.parametrize("change, message", [
    (("outstanding = 100\nsource", "outstanding = 99\nsource"), "the classes hold 299 shares"),
    (('id = "class_b"', 'id = "A"'), "collides"),
])
def test_classes_of_common_errors(change, message):
    with pytest.raises(ModelError, match=message):
        loads_model(HEAD + CLASSES.replace(*change), "<hand>")


def test_one_class_of_common_is_refused():
    one = series("A", 100, "1") + tier("t", ["A"]) + captable(300) + \
        '[[common_classes]]\nid = "class_a"\noutstanding = 300\nsource = "IV.A"\n'
    with pytest.raises(ModelError, match="two or more"):
        loads_model(HEAD + one, "<hand>")


# ------------------------------------------------------------------ offering triggers


# One series A, 100 sh, OIP = CP $1, automatic conversion on a raise of at least / more than $10M at a
# price of at least / more than $5 (no other test). Raise exactly $10,000,000 at exactly $5:
#   "at least" (default): both tests met -> A converts;  "exceeding" (strict): neither is -> A keeps.
# Net proceeds with a 7% discount: 10,000,000 x 0.93 = 9,300,000 < 10,000,000 -> no conversion; a raise
# of 11,000,000 nets 10,230,000 -> converts.
def _auto(extra: str) -> str:
    return HEAD + series("A", 100, "1", price="1") + tier("t", ["A"]) + captable(100) + \
        '[[automatic_conversion]]\nid = "qpo"\nseries = ["A"]\nmin_price_per_share = "5"\n' \
        'min_aggregate = "10000000"\nsource = "x"\n' + extra


@pytest.mark.parametrize("extra, raise_amount, converts", [
    ("", 10_000_000, True),
    ("strict = true\n", 10_000_000, False),
    ("strict = true\n", 10_000_001, False),  # the price $5 is not above $5
    ('proceeds = "net"\noffering_costs = "0.07"\n', 10_000_000, False),
    ('proceeds = "net"\noffering_costs = "0.07"\n', 11_000_000, True),
])
def test_offering_trigger_strict_and_net(extra, raise_amount, converts):
    from charterverify.ipo import ipo

    m = loads_model(_auto(extra), "<hand>")
    assert ipo(m, 5, raise_amount).get("A").converts is converts


def test_strict_trigger_breakpoint_shows_the_position_above():
    from charterverify.ipo import ipo, ipo_price_breakpoints

    m = loads_model(_auto("strict = true\n"), "<hand>")
    (bp,) = [b for b in ipo_price_breakpoints(m, 20_000_000) if b.kind == "trigger"]
    assert bp.price == 5
    assert not ipo(m, 5, 20_000_000).get("A").converts
    assert ipo(m, F("5.01"), 20_000_000).get("A").converts
    assert "exceeded" in bp.description


def test_net_proceeds_need_offering_costs():
    with pytest.raises(ModelError, match="offering costs"):
        loads_model(_auto('proceeds = "net"\n'), "<hand>")


# IPO reset replacing the conversion price: A 100 sh, OIP = CP $10, reset to 80% of the IPO price
# when the IPO price is below $10. Raise $50M (no automatic conversion entry: the reset changes the
# conversion price whether or not A converts).
#   IPO at $8: 0.8 x 8 = 6.40 < 10 -> CP 6.40, ratio 10 / 6.4 = 25/16.
#   IPO at $10: not below $10 -> no reset, ratio 1 (the position jumps down at $10: breakpoint).
#   Without below_price the reset stops at 10 / 0.8 = $12.50 (where 80% of the price equals CP).
def test_ipo_price_reset():
    from charterverify.ipo import ipo, ipo_price_breakpoints

    body = HEAD + series("A", 100, "10", price="10") + tier("t", ["A"]) + captable(100) + \
        '[[ipo_ratchets]]\nseries = "A"\nkind = "price_reset"\npercent = "0.8"\nbelow_price = "10"\nsource = "x"\n'
    m = loads_model(body, "<hand>")
    assert m.name == "hand"  # the charter's name (the id here) is not overwritten by the ratchet's keys
    assert ipo(m, 8, 50_000_000).get("A").ratio == F(25, 16)
    assert ipo(m, 8, 50_000_000).get("A").conversion_price == F("6.4")
    assert ipo(m, 10, 50_000_000).get("A").ratio == 1
    assert [(b.price, b.kind) for b in ipo_price_breakpoints(m, 50_000_000)] == [(10, "ratchet_ends")]
    open_ended = loads_model(body.replace('below_price = "10"\n', ""), "<hand>")
    assert [(b.price, b.kind) for b in ipo_price_breakpoints(open_ended, 50_000_000)] == [(F("12.5"), "ratchet_neutral")]
    assert ipo(open_ended, 12, 50_000_000).get("A").conversion_price == F("9.6")


# ------------------------------------------------------------------ redemption


def both_model(model, E):
    """Both paths on an already built model (the redemption scenario transforms the model)."""
    from charterverify.evaluate import evaluate_exit
    from charterverify.solver import solve_exit
    from test_differential import check_conservation, check_equilibrium, fields

    direct = evaluate_exit(model, F(E))
    assert fields(solve_exit(model, F(E))) == fields(direct)
    check_conservation(model, direct)
    check_equilibrium(model, direct)
    return direct


# Holders of A may require redemption at the original issue price ($1) on or after 2005-04-01, in three
# annual instalments. A 300 sh OIP = LP $1 (non-converting), B 100 sh LP $2 senior to A; common 100.
#   No redemption, E = 350: B 200, A 150 (short of its 300), common 0.
#   --redeem 2005-06-01: the first instalment is due: 300 / 3 = 100 shares redeemed at $1 = 100, paid
#     first; then B 200; A's 200 remaining shares get the last 50: A.redeemed 100, B 200, A 50.
#   --redeem 2006-04-01: two instalments: 200 shares -> 200 first, B the other 150, A 0.
#   --redeem 2005-03-31: not yet exercisable: payouts as without it.
REDEEM = series("A", 300, "1") + series("B", 100, "2") + tier("s", ["B"]) + tier("j", ["A"]) + captable(100) + \
    '[[redemption]]\nid = "put"\nseries = ["A"]\nafter = 2005-04-01\ninstalments = 3\nsource = "FOURTH.B.3"\n'


@pytest.mark.parametrize("when, pay", [
    (D(2005, 6, 1), {"A": 50, "A.redeemed": 100, "B": 200, "common": 0}),
    (D(2006, 4, 1), {"A": 0, "A.redeemed": 200, "B": 150, "common": 0}),
])
def test_redeem_scenario(when, pay):
    from charterverify.terms import redeem

    m = loads_model(HEAD + REDEEM, "<hand>")
    expect(both_model(m, 350), {"A": 150, "B": 200, "common": 0})
    r, notes = redeem(m, when)
    assert r.tiers[0].id == "redemption" and "paid before the waterfall" in notes[0]
    expect(both_model(r, 350), pay)


def test_redeem_before_the_date_changes_nothing():
    from charterverify.terms import redeem

    m = loads_model(HEAD + REDEEM, "<hand>")
    r, notes = redeem(m, D(2005, 3, 31))
    assert r is m and "not yet exercisable" in notes[0]


def test_terms_findings_name_each_clause():
    from charterverify.terms import check

    m = loads_model(HEAD + REDEEM, "<hand>")
    (f,) = check(m)
    assert f.clause == "FOURTH.B.3" and f.rule == "terms" and f.line is not None
    assert "holders may require redemption at the original issue price plus dividends on or after 2005-04-01, " \
           "in 3 annual instalments" in f.message


def test_cli_redeem_and_date(tmp_path, capsys):
    import json

    from charterverify.cli import main

    p = tmp_path / "r.toml"
    p.write_text(HEAD + REDEEM, encoding="utf-8")
    assert main([str(p), "--exit", "350", "--redeem", "2005-06-01", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["exits"][0]["payouts"] == {"A": "50", "B": "200", "A.redeemed": "100", "common": "0"}
    assert main([str(p), "--exit", "350", "--redeem", "2005-06-01"]) == 0
    assert "Redemption: put: 100 shares of Series A redeemed at $1 per share ($100)" in capsys.readouterr().out
    assert main([str(p), "--exit", "350", "--redeem", "June 1"]) == 2
    assert "--redeem 'June 1'" in capsys.readouterr().err


def test_seniority_reads_an_aggregate_tier_cap():
    # CAPPED_TIER: the tier is owed min(1000 + 500, 600) = 600 as a whole; from E = 600 on the common is
    # paid while A alone has 400 of its 1000: not a seniority breach (the cap is what the tier is owed).
    # Without the cap (1500 owed) the common is paid only from E = 1500: no finding either way, but a
    # cap of 600 read per member would report one at E = 1000.
    from charterverify.properties import seniority
    from charterverify.solver.breakpoints import analyze

    m = loads_model(HEAD + CAPPED_TIER, "<hand>")
    assert seniority.check(m, analyze(m)) == []
    # and a real breach is still found: a junior tier C (LP $1, 100 sh) paid while the capped tier is short
    # cannot happen (the tier takes min(R, 600) first); with the cap above the stack it is the usual check
    short = loads_model(HEAD + CAPPED_TIER.replace('cap = "600"', 'cap = "2000"'), "<hand>")
    assert seniority.check(short, analyze(short)) == []


# ------------------------------------------------------------------ anti-dilution rounding finer than a cent


def test_rounding_finer_than_a_cent():
    from charterverify.antidilution import round_price

    # $3.96875: to the cent 3.97; to a tenth of a cent 3968.75 + 0.5 -> 3969 -> $3.969; to a hundredth
    # of a cent exact already (39687.5 + 0.5 -> 39688 -> $3.9688, half up)
    assert round_price(F("3.96875"), "nearest_cent") == F("3.97")
    assert round_price(F("3.96875"), "nearest_tenth_cent") == F("3.969")
    assert round_price(F("3.96875"), "nearest_hundredth_cent") == F("3.9688")
    assert round_price(F("1.0005"), "nearest_tenth_cent") == F("1.001")  # half a unit rounds up
    assert round_price(F("1.00049"), "nearest_tenth_cent") == F("1.000")


@pytest.mark.parametrize("cp, raised", [("1.2346", "1.235"), ("1.2344", None)])
def test_rounding_to_a_tenth_of_a_cent_can_raise_the_price(cp, raised):
    # CP1 $1.2346: an exact new price of at least $1.2345 (half a tenth of a cent below $1.235) rounds up to
    # $1.235 > $1.2346, so some issuance raises the price. CP1 $1.2344: the threshold $1.2345 is above it,
    # so no price below CP1 rounds above it.
    from charterverify.antidilution import increase_window

    text = HEAD + series("A", 1000, cp, price=cp) + tier("t", ["A"]) + captable(5000) + \
        '[[anti_dilution]]\nid = "wa"\nseries = ["A"]\nsource = "x"\nrounding = "nearest_tenth_cent"\n'
    w = increase_window(loads_model(text, "<hand>"), "A")
    if raised is None:
        assert w is None
    else:
        assert (w["raised_to"], w["threshold"]) == (F(raised), F("1.2345"))


def test_cli_date(tmp_path, capsys):
    import json

    from charterverify.cli import main

    body = HEAD + series("A", 100, "10") + dividends('rate = "0.08"\nstart = 2020-01-01\n') + tier("t", ["A"]) + \
        captable(100)
    p = tmp_path / "d.toml"
    p.write_text(body, encoding="utf-8")
    # no date anywhere: one line, exit 2
    assert main([str(p), "--exit", "2000"]) == 2
    err = capsys.readouterr().err
    assert "Series A accrues dividends: give the exit date" in err and len(err.strip().splitlines()) == 1
    # --date 2022-07-01: the preference is 1000 + 14576/73 (test_simple_dividend_accrues_and_enters_the_preference)
    assert main([str(p), "--exit", "2000", "--date", "2022-07-01", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["exits"][0]["payouts"]["A"] == "87576/73"
    assert main([str(p), "--exit", "2000", "--date", "2022-02-30"]) == 2
    assert "--date '2022-02-30': expected a date" in capsys.readouterr().err


# Direct listing and the company's option: the same entry (price >= $5, raise >= $10M).
#   --raise 0 at $6: an offering without a raise fails the $10M test -> A keeps; with direct_listing the
#   aggregate test does not apply to a listing without a raise -> A converts (and a note says why).
#   company_option: the conversion is the company's to make; the result converts A and says it assumed so.
def test_direct_listing_and_company_option():
    from charterverify.ipo import ipo

    assert not ipo(loads_model(_auto(""), "<hand>"), 6, 0).get("A").converts
    listed = ipo(loads_model(_auto("direct_listing = true\n"), "<hand>"), 6, 0)
    assert listed.get("A").converts and any("direct listing" in n for n in listed.notes)
    opt = ipo(loads_model(_auto("company_option = true\n"), "<hand>"), 6, 20_000_000)
    assert opt.get("A").converts and any("company's option" in n for n in opt.notes)

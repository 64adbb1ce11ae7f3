"""The automatic-conversion check (charterverify/properties/automatic.py) on offerings the seed and
golden charters do not have: several entries that trigger one another, an entry stated as a
multiple of the conversion price, an entry with both a price and a valuation test, the reading
valuation = post_money with a size test, entries naming several series, several IPO price floors.
Written for the surviving mutants of properties/ (issue 17; /work/prompts/s6/doc-auto.md lists
them by function). Every number is worked out by hand in the docstrings.

Charters: tests/charters/properties/auto-offerings.toml (two series, five entries, one price
floor) and auto-series.toml (one entry naming four series of four kinds), plus in-test variants
of them and of automatic_fail.toml.
"""

from __future__ import annotations

from fractions import Fraction as F

from charterverify.findings import Severity
from charterverify.properties import automatic

from propsupport import PROPS, analysed, variant

OFFERINGS = PROPS / "auto-offerings.toml"
SERIES = PROPS / "auto-series.toml"
AUTOMATIC_FAIL = PROPS / "automatic_fail.toml"


def _found(model, an, entry=None):
    return [(f.line, f.severity, f.clause, f.witness, f.message) for f in automatic.check(model, an)
            if entry is None or f.witness["entry"] == entry]


def _msg(entry, clause, E, p, sid, held, sale, extra=""):
    return (f"At the {entry} threshold ({clause}: company value {E}, {p} per common share) Series {sid} is forced to "
            f"convert and its holdings are worth {held}{extra}, while in a sale at the same value its preference "
            f"pays {sale}: ")


# ---------------------------------------------------------------- auto-offerings.toml


def test_entries_that_trigger_one_another():
    """auto-offerings.toml: common 1,000; A and B 1,000 shares each, $20 preference (2x of $10),
    pari passu, 1:1; B has an IPO price floor of $12. In a sale at E: E/2 each below 40,000, then
    $20,000 each up to 60,000 (A converting alone gets (E - 20,000) / 2 <= 20,000 there).
    At an offering price p: common 1,000 p, A 1,000 p, B 1,000 max(p, 12) when B is forced, else
    1,000 p (not forced: as converted at its base ratio).

    Entries in file order: `vote` (a vote only: no threshold, skipped and never triggered), qpo
    (A and B, 1.5 x the conversion price $10 = $15, raise >= $1,000), qipo (B, $8), qval (A, pre-money
    $45,000), big (B and A, $6, raise >= $5,000), sized (A, raise >= $2,000, no price test).

    - qpo: p = 15 (1.5 x 10 for both series: the highest is 15). E = 15,000 + 15,000 + 1,000 x
      max(15, 12) = 45,000. At (p 15, E 45,000, size 1,000): qipo (15 >= 8) and qval (45,000 >=
      45,000, exactly at its threshold) are met, big (1,000 < 5,000) and sized (1,000 < 2,000) are
      not: triggered [qpo, qipo, qval]; the forced series are still A and B, E unchanged. In the
      sale A and B take $20,000 each against $15,000 converted: $5,000 moved each; B's floor does
      not bind at $15 (ratio 1: no ratio words). Line 66, min_price_multiple.
    - qipo: p = 8, B forced: E = 8,000 + 8,000 + 12,000 = 28,000. At (8, 28,000, no size): big
      (8 >= 6; an offering of no stated size meets every size test) and sized; not qpo (8 < 15) nor
      qval (28,000 < 45,000). Forcing A too changes nothing (no floor). Sale: 14,000 each; B holds
      12,000 (ratio 12 / 8 = 1.5 under its floor): $2,000 moved. Line 74.
    - qval: E = 45,000; A alone forced, B as converted: 3,000 p = 45,000, p = 15. At (15, 45,000, no
      size) every other entry with a test is met; with B forced too, 2,000 x 15 + 1,000 x max(15, 12)
      = 45,000: p stays 15. A: $20,000 against $15,000. Line 81.
    - big: p = 6, B and A forced: E = 6,000 + 6,000 + 12,000 = 24,000; sized is met (5,000 >= 2,000),
      nothing else. Sale: 12,000 each: B holds 12,000 (no loss, no finding), A holds 6,000: $6,000
      moved. Line 88.
    - sized (any price): B is forced when qipo is met (p >= 8), so E(p) = 3,000 p below $8, 2,000 p
      + 12,000 from $8 to $12, 3,000 p above. A's loss (sale less 1,000 p): 500 p below 8; 6,000 on
      [8, 12); 500 p on [12, 40/3] (E <= 40,000); 20,000 - 1,000 p up to $20; 0 above. Candidate
      prices: 0, the other entries' price tests 6, 8, 15, the sale's breakpoints 40,000 and 60,000
      at p = 40/3 and 20, and 2 x 20 + 1 = 41. The most: 20,000/3 at 40/3; the last losing
      candidate 15 (5,000) before 20 (0): it loses up to $20.00; the roundest price of (6, 20) is
      $10: E = 32,000, A holds 10,000 against 16,000. Line 96.

    Kills check 6 (`continue` -> `break` at the vote-only entry), 14 (`out =` for the size-only
    entry), 32, 33, 35, 37, 39, 40, 41 (the multiple entry's key: line 66), 137, 140, 141, 143, 144,
    145, 146, 147, 154 (the ratio words, with and without a binding floor, and the amount moved); _threshold 62, 63, 64, 67, 68 (the entries triggered at a
    threshold); _triggers 3, 4, 5, 15, 16, 19, 20, 22; _has_test 7 (the valuation-only qval and
    the vote-only entry); Offering.series_value and __init__ through the floor."""
    model, an = analysed(str(OFFERINGS))
    assert [b.x for b in an.breakpoints] == [40000, 60000]
    assert automatic.applies(model)
    W, I = Severity.WARNING, Severity.INFO

    def w(entry, sid, basis, E, p, ratio, held, sale, triggered):
        return {"entry": entry, "series": sid, "basis": basis, "company_value": E, "price": p, "ratio": ratio,
                "value_converted": held, "value_in_sale": sale, "moved": str(int(sale) - int(held)),
                "triggered": triggered}

    assert _found(model, an) == [
        (66, W, "4.B.4(b); 4.B.2(a)", w("qpo", "A", "min_price_per_share", "45000", "15", "1", "15000", "20000",
                                         ["qpo", "qipo", "qval"]),
         _msg("qpo", "4.B.4(b)", "$45,000", "$15.00", "A", "$15,000", "$20,000") + "$5,000 moves to other holders"),
        (66, W, "4.B.4(b); 4.B.2(a)", w("qpo", "B", "min_price_per_share", "45000", "15", "1", "15000", "20000",
                                         ["qpo", "qipo", "qval"]),
         _msg("qpo", "4.B.4(b)", "$45,000", "$15.00", "B", "$15,000", "$20,000") + "$5,000 moves to other holders"),
        (74, W, "4.B.4(c); 4.B.2(a)", w("qipo", "B", "min_price_per_share", "28000", "8", "1.5", "12000", "14000",
                                         ["qipo", "big", "sized"]),
         _msg("qipo", "4.B.4(c)", "$28,000", "$8.00", "B", "$12,000", "$14,000",
              ", ratio 1.5 under the IPO price floor") + "$2,000 moves to other holders"),
        (81, W, "4.B.4(d); 4.B.2(a)", w("qval", "A", "min_valuation", "45000", "15", "1", "15000", "20000",
                                         ["qpo", "qipo", "qval", "big", "sized"]),
         _msg("qval", "4.B.4(d)", "$45,000", "$15.00", "A", "$15,000", "$20,000") + "$5,000 moves to other holders"),
        (88, W, "4.B.4(f); 4.B.2(a)", w("big", "A", "min_price_per_share", "24000", "6", "1", "6000", "12000",
                                         ["big", "sized"]),
         _msg("big", "4.B.4(f)", "$24,000", "$6.00", "A", "$6,000", "$12,000") + "$6,000 moves to other holders"),
        (96, W, "4.B.4(h); 4.B.2(a)",
         {"entry": "sized", "series": "A", "basis": "min_aggregate", "price": "10", "company_value": "32000",
          "value_converted": "10000", "value_in_sale": "16000", "moved": "6000", "loses_up_to_price": "20",
          "most_moved": "20000/3", "most_moved_price": "40/3"},
         "Series A has no price floor in a qualifying offering (4.B.4(h): only a raise of $2,000), unlike Series B "
         "(4.B.4(g)): an offering of that size converts it at any price, and at every price up to $20.00 a share it "
         "holds less than a sale of the same company value would pay. At $10.00 a share (company value $32,000) it "
         "holds $10,000 against $16,000 in a sale: $6,000 moves to other holders; the most, about $6,666.67, at about "
         "$13.33 a share"),
    ]
    assert I not in [f.severity for f in automatic.check(model, an)]


def test_the_offering_at_a_price_of_a_size_only_entry():
    """auto-offerings.toml, `automatic._at_price` for the size-only entry `sized` (a raise of $2,000)
    at three prices, with the entries it triggers there:
    - $7: qipo not met (7 < 8); big's price is met (7 >= 6) but not its size (2,000 < 5,000):
      [sized] alone, B not forced: E = 3,000 x 7 = 21,000.
    - $9: qipo met (9 >= 8): [qipo, sized], B forced under its floor: 2,000 x 9 + 12,000 = 30,000.
    - $15: qpo (15 >= 15, 2,000 >= 1,000), qipo, and qval (E = 45,000 >= 45,000): [qpo, qipo, qval,
      sized], E = 45,000.
    Kills _at_price 2, 20 (the size dropped: big met at $7), 15 (`is not entry`: every other entry
    forced), 16 (the multiple read as a price: qpo's 1.5 met at $7), 18, 19 (`p`, `E` None)."""
    model, _ = analysed(str(OFFERINGS))
    sized = model.automatic_conversions[-1]
    got = {}
    for p in (7, 9, 15):
        E, off, triggered = automatic._at_price(model, sized, F(p))
        got[p] = (E, sorted(off.forced), [a.id for a in triggered])
    assert got == {7: (21000, ["A"], ["sized"]), 9: (30000, ["A", "B"], ["qipo", "sized"]),
                   15: (45000, ["A", "B"], ["qpo", "qipo", "qval", "sized"])}


def test_no_offering_price_with_two_price_floors():
    """auto-offerings.toml with qval (line 81) converting A and B at a pre-money valuation of $20,000,
    and an IPO price floor of $25 for A too (4.B.4(i)). Forced A and B hold at least 1,000 x 25 +
    1,000 x 12 = $37,000 at any price: more than $20,000, so no price is consistent. Only qval's
    finding is read here. Kills check 62 (the floors' names joined by "XX, XX")."""
    floor_a = ("[captable]", '[[ipo_ratchets]]\nseries = "A"\nkind = "price_floor"\nfloor_price = "25"\n'
                             'source = "4.B.4(i)"\n\n[captable]')
    model, an = variant(OFFERINGS, ('series = ["A"]\nmin_valuation = "45000"', 'series = ["A", "B"]\nmin_valuation = "20000"'),
                        floor_a)
    [(line, sev, clause, witness, message)] = _found(model, an, "qval")
    assert (line, sev, clause) == (81, Severity.INFO, "4.B.4(d); 4.B.4(g); 4.B.4(i)")
    assert witness == {"entry": "qval", "basis": "min_valuation", "company_value": "20000",
                       "value_at_zero_price": "37000"}
    assert message == (
        "At the qval threshold (4.B.4(d), min_valuation $20,000) no offering price is consistent: the IPO price floors "
        "of Series A, B alone are worth $37,000 at any price, more than the company value taken at the threshold")


def test_cash_on_conversion_counts_only_for_the_series_forced():
    """auto-offerings.toml with $1 a share of cash on A's conversion and qval converting B alone at a
    pre-money valuation of $10,000 (line 82: the cash line comes before it). B is forced and floored: at a price of zero it holds 1,000 x 12 =
    $12,000, more than $10,000: no price. A is not forced by qval: its $1,000 of cash is not paid
    and not counted (neither in the words nor in the value at zero).
    Then A forced too (qval naming B and A): cash 1,000 x $1 = $1,000, at zero 1,000 + 12,000 =
    $13,000. Kills Offering.__init__ 9, 14, 16, 17, 18, 20 (the cash summed: None, per share divided
    by the count, the forced test) and Offering.series_value 7, 9, 12 (cash of a series not forced)."""
    cash = ('price = "10"\nsource = "4.B.4(a)"\n\n[[series]]\nid = "B"',
            'price = "10"\ncash_per_share = "1"\nsource = "4.B.4(a)"\n\n[[series]]\nid = "B"')
    model, an = variant(OFFERINGS, cash, ('series = ["A"]\nmin_valuation = "45000"', 'series = ["B"]\nmin_valuation = "10000"'))
    [(line, sev, clause, witness, message)] = _found(model, an, "qval")
    assert (line, sev, clause, witness["value_at_zero_price"]) == (82, Severity.INFO, "4.B.4(d); 4.B.4(g)", "12000")
    assert message == (
        "At the qval threshold (4.B.4(d), min_valuation $10,000) no offering price is consistent: the IPO price floors "
        "of Series B alone are worth $12,000 at any price, more than the company value taken at the threshold")
    model, an = variant(OFFERINGS, cash, ('series = ["A"]\nmin_valuation = "45000"',
                                          'series = ["B", "A"]\nmin_valuation = "10000"'))
    [(line, sev, clause, witness, message)] = _found(model, an, "qval")
    assert witness["value_at_zero_price"] == "13000"
    assert message == (
        "At the qval threshold (4.B.4(d), min_valuation $10,000) no offering price is consistent: the cash on "
        "conversion ($1,000) and the IPO price floors of Series B alone are worth $13,000 at any price, more than the "
        "company value taken at the threshold")


# ---------------------------------------------------------------- auto-series.toml


def test_one_entry_over_four_kinds_of_series():
    """auto-series.toml: common 1,000; N (senior, $1 preference, no conversion right), and junior to
    it S ($1 preference, 1:1, IPO price floor $24), P ($20 preference on a $10 issue price, 1:1) and F
    (no preference, fully participating, 1:1), 1,000 shares each. Entry qpo converts N, S, P and F at
    $10 a share (line 88).
    At p = 10: S holds 1,000 x max(10, 24) = 24,000 (its floor), P and F 10,000 each, common 10,000;
    N is not counted (no conversion): E = 54,000. In a sale at 54,000: N takes $1,000; S converts
    (a share of what follows its $1,000), P keeps its $20,000 (converting: 53,000 / 4 = 13,250), F
    participates as one of three: (54,000 - 1,000 - 20,000) / 3 = 11,000 each to common, S and F.
    So N is skipped (it cannot convert), S is skipped (it converts in the sale, 11,000 against its
    24,000 in the offering), P loses 20,000 - 10,000 = $10,000 (warning), F loses 11,000 - 10,000 =
    $1,000 (info: a participating series; its clause is its participation's, it has no preference).
    Kills check 113 (`and`: N, converted in no sale, reported with a loss of its $1,000), 116
    (`continue` -> `break` at N: P and F lost), 142 (ratio words for P without a floor), 157
    (`s.preference or True` on F)."""
    model, an = analysed(str(SERIES))
    assert _found(model, an) == [
        (88, Severity.WARNING, "4.B.4(b); 4.B.2(a)",
         {"entry": "qpo", "series": "P", "basis": "min_price_per_share", "company_value": "54000", "price": "10",
          "ratio": "1", "value_converted": "10000", "value_in_sale": "20000", "moved": "10000", "triggered": ["qpo"]},
         _msg("qpo", "4.B.4(b)", "$54,000", "$10.00", "P", "$10,000", "$20,000") + "$10,000 moves to other holders"),
        (88, Severity.INFO, "4.B.4(b); 4.B.2(b)",
         {"entry": "qpo", "series": "F", "basis": "min_price_per_share", "company_value": "54000", "price": "10",
          "ratio": "1", "value_converted": "10000", "value_in_sale": "11000", "moved": "1000", "triggered": ["qpo"]},
         _msg("qpo", "4.B.4(b)", "$54,000", "$10.00", "F", "$10,000", "$11,000") + "$1,000 moves to other holders"),
    ]


# ---------------------------------------------------------------- the tests of one entry (automatic_fail.toml)


def _fail(*replacements):
    """automatic_fail.toml (common 1,000; A 1,000 shares, $10 preference, 1:1; entry qpo on line 37,
    its test on line 40) with the replacements: at a price p the company is worth E = 2,000 p; in a
    sale at E, A takes min(E, 10,000) up to 20,000 and E / 2 above."""
    model, an = variant(AUTOMATIC_FAIL, *replacements)
    return [(f.line, f.witness["basis"], f.witness["company_value"], f.witness["price"], f.witness["moved"])
            for f in automatic.check(model, an)]


def test_an_entry_stated_as_a_multiple_of_the_conversion_price():
    """qpo at 0.5 x A's conversion price $10 = $5 (min_price_multiple, line 40): E = 10,000; A holds
    5,000 against 10,000 in a sale. Alone, the multiple is a test (the entry applies); the finding's
    key is min_price_multiple. Kills _min_price 11, 12, 13 (an entry with only a multiple read as
    having no price test: no finding)."""
    model, an = variant(AUTOMATIC_FAIL, ('min_price_per_share = "5"', 'min_price_multiple = "0.5"'))
    assert automatic.applies(model)
    assert [(f.line, f.witness["basis"], f.witness["company_value"], f.witness["price"], f.witness["moved"])
            for f in automatic.check(model, an)] == [(40, "min_price_per_share", "10000", "5", "5000")]


def test_a_price_and_a_valuation_test_the_higher_company_value_binds():
    """qpo with $5 a share (line 40, E = 2,000 x 5 = 10,000) and a pre-money valuation (line 41):
    - $10,000: a tie; the price test, first, is kept: line 40, E 10,000, p 5, A loses 5,000;
    - $12,000: the valuation binds: p = 12,000 / 2,000 = 6, A holds 6,000 against 10,000: 4,000;
    - $8,000: the price binds: as the tie.
    Kills _threshold 46, 48 (max over the tuples: "min_valuation" wins the tie), 49 (the first
    candidate always), 50 (the basis names compared: the valuation always)."""
    price = 'min_price_per_share = "5"'
    assert _fail((price, price + '\nmin_valuation = "10000"')) == [(40, "min_price_per_share", "10000", "5", "5000")]
    assert _fail((price, price + '\nmin_valuation = "12000"')) == [(41, "min_valuation", "12000", "6", "4000")]
    assert _fail((price, price + '\nmin_valuation = "8000"')) == [(40, "min_price_per_share", "10000", "5", "5000")]


def test_a_post_money_valuation_less_the_raise():
    """qpo at a post-money valuation of $16,000 (line 40) with a raise of at least $4,000 (line 41),
    under the reading valuation = post_money: the holders before the offering own 16,000 - 4,000 =
    $12,000: p = 6, A holds 6,000 against 10,000 in a sale, 4,000 moved (read pre-money: E 16,000,
    p 8, 2,000 moved; 16,000 + 4,000 = 20,000 would be no loss at all).
    A post-money valuation of $4,000 with a raise of $4,000 leaves nothing before the offering:
    E = 0, p = 0, nothing to lose (a floor of 1 for the difference would give E = 1, p = 1/2,000, and
    A's $1 in a sale against $0.50). Kills _threshold 2 (the size dropped), 26, 27, 28 (the reading
    or the size test mutated), 29-35 (the difference or its floor of 0 mutated)."""
    post = ("[captable]", '[readings]\nvaluation = "post_money"\n\n[captable]')
    test = 'min_price_per_share = "5"'
    assert _fail((test, 'min_valuation = "16000"\nmin_aggregate = "4000"'), post) == [
        (40, "min_valuation", "12000", "6", "4000")]
    assert _fail((test, 'min_valuation = "16000"\nmin_aggregate = "4000"')) == [
        (40, "min_valuation", "16000", "8", "2000")]
    assert _fail((test, 'min_valuation = "4000"\nmin_aggregate = "4000"'), post) == []


def test_no_offering_price_at_one_entry_does_not_end_the_check():
    """The variant of test_no_offering_price_with_two_price_floors (A floored at $25, qval converting
    A and B at $20,000), every finding in file order:
    - qpo at $15: A 1,000 x max(15, 25) = 25,000, B 15,000, common 15,000: E = 55,000; in the sale
      A and B take $20,000 each (A converting alone: (55,000 - 20,000) / 2 = 17,500): A holds more
      (25,000), B loses 5,000. Triggered: qipo (15 >= 8), qval (55,000 >= 20,000).
    - qipo at $8: B 12,000 (floor), A as converted 8,000, common 8,000 = 28,000; then big (8 >= 6,
      no size) and sized force A too, under its floor: 8,000 + 25,000 + 12,000 = 45,000, and qval is
      met (45,000 >= 20,000). B: 20,000 in the sale against 12,000: 8,000.
    - qval: no price (37,000 at a price of zero).
    - big at $6: B and A forced: 6,000 + 25,000 + 12,000 = 43,000; qval and sized met. B: 20,000
      against 12,000; A holds 25,000, more than its 20,000.
    - sized: A holds 1,000 max(p, 25) >= 25,000, never less than its payout in a sale: at most
      $20,000 up to E = 60,000, E / 3 above; below $25, E <= 1,000 p + 25,000 + 1,000 max(p, 12) <
      75,000 (E / 3 < 25,000), from $25 E = 3,000 p (E / 3 = 1,000 p): no finding.
    Kills check 100 (`continue` -> `break` after the no-price finding: big's finding lost)."""
    floor_a = ("[captable]", '[[ipo_ratchets]]\nseries = "A"\nkind = "price_floor"\nfloor_price = "25"\n'
                             'source = "4.B.4(i)"\n\n[captable]')
    model, an = variant(OFFERINGS, ('series = ["A"]\nmin_valuation = "45000"', 'series = ["A", "B"]\nmin_valuation = "20000"'),
                        floor_a)
    got = [(f.witness["entry"], f.witness.get("series"), f.witness["company_value"], f.witness.get("moved"),
            f.witness.get("triggered")) for f in automatic.check(model, an)]
    assert got == [("qpo", "B", "55000", "5000", ["qpo", "qipo", "qval"]),
                   ("qipo", "B", "45000", "8000", ["qipo", "qval", "big", "sized"]),
                   ("qval", None, "20000", None, None),
                   ("big", "B", "43000", "8000", ["qval", "big", "sized"])]


def test_entries_whose_triggered_set_alternates():
    """auto-offerings.toml with qval at a pre-money valuation of $27,000 and big at $9 a share. At
    qval's threshold the offering has no consistent set of entries: with qval alone forced the price
    is 27,000 / 3,000 = $9, which meets qipo ($8), big ($9) and sized, forcing B under its $12 floor;
    with all four, 2,000 p + 12,000 = 27,000 gives p = $7.50, which meets only sized; with qval and
    sized the price is $9 again, and round it goes. Which series convert there is not decided, so the
    check says so (unknown) instead of reporting the holdings of whichever set its last round held.
    (It used to: `_threshold` mutant 5, one more round, changed the set reported.)"""
    model, an = variant(OFFERINGS, ('min_valuation = "45000"', 'min_valuation = "27000"'),
                        ('min_price_per_share = "6"', 'min_price_per_share = "9"'))
    found = automatic.check(model, an)
    # the entries after qval are still checked (big at its $9 test, sized at its size test)
    assert [(g.witness["entry"], g.witness.get("series")) for g in found] == [
        ("qpo", "A"), ("qpo", "B"), ("qipo", "B"), ("qval", None), ("big", "B"), ("big", "A"), ("sized", "A")]
    f = found[3]
    assert (f.rule, f.severity.label, f.verdict.value, f.line) == ("automatic-conversion", "warning", "unknown", 81)
    # the clauses of qval and of the other entries it met: qipo, big, sized
    assert f.clause == "4.B.4(d); 4.B.4(c); 4.B.4(f); 4.B.4(h)"
    assert f.message == (
        "At the qval threshold (4.B.4(d), company value $27,000) the automatic conversions it meets never "
        "settle: forcing qval gives $9.00 a share; forcing qipo, qval, big and sized gives $7.50 a share; "
        "forcing qval and sized gives $9.00 a share, and each price triggers another set of them. Which "
        "series convert at that offering is not decided, so what they hold there is not computed")
    assert f.witness == {"entry": "qval", "basis": "min_valuation", "company_value": "27000",
                         "tried": [{"entries": ["qval"], "price": "9"},
                                   {"entries": ["qipo", "qval", "big", "sized"], "price": "7.5"},
                                   {"entries": ["qval", "sized"], "price": "9"}]}


def test_an_entry_whose_only_series_cannot_convert():
    """auto-series.toml with qpo converting N alone at 2 x its conversion price: N has no conversion
    price, so the entry has no price test and converts nothing; no finding (and no error).
    Kills check 8 (the multiple taken for a price: the threshold then sought without any test)."""
    model, an = variant(SERIES, ('series = ["N", "S", "P", "F"]\nmin_price_per_share = "10"',
                                 'series = ["N"]\nmin_price_multiple = "2"'))
    assert automatic.applies(model)
    assert automatic.check(model, an) == []


def test_offering_kinks_skip_a_price_of_zero():
    """automatic_fail.toml with two option pools on common: 100 at $0 (the company value is 100 p
    from a price of zero: no kink) and 100 at $2 (in the money above $2). company_value(p) = 1,000 p
    (common) + 1,000 p (A) + 100 p + max(100 p - 200, 0): 0 at 0, 2,100 at 1, 6,400 at 3.
    Kills Offering.kinks 17 (`k >= 0`: a kink at 0)."""
    pools = ('common_outstanding = 1000', 'common_outstanding = 1000\n\n[[captable.options]]\nid = "rsu"\ncount = 100\n'
                                          'exercise_price = "0"\nbuys = "common"\n\n[[captable.options]]\nid = "plan"\n'
                                          'count = 100\nexercise_price = "2"\nbuys = "common"')
    model, _ = variant(AUTOMATIC_FAIL, pools)
    off = automatic.Offering(model, list(model.automatic_conversions))
    assert off.kinks() == [2]
    assert [off.company_value(F(p)) for p in (0, 1, 3)] == [0, 2100, 6400]


# ---------------------------------------------------------------- an offering with only a size test (auto-free.toml)

FREE = PROPS / "auto-free.toml"
PARTICIPATING = ('source = "4.B.4(a)"\n\n[[series]]\nid = "B"',
                 'source = "4.B.4(a)"\n\n[series.participation]\nkind = "full"\nsource = "4.B.2(b)"\n\n[[series]]\nid = "B"')


def _free(model, an):
    [f] = automatic.check(model, an)
    return f


def test_a_floor_forced_by_another_entry_kinks_the_loss():
    """auto-free.toml: `sized` converts A in any offering of $2,000; qipo (2.5 x $10 = $25) converts
    B, floored at $30. E(p) = 3,000 p below $25; from $25, B forced: 2,000 p + 1,000 max(p, 30).
    A's loss (its sale payout less 1,000 p): 500 p up to 40/3 (E <= 40,000, E / 2), 20,000 - 1,000 p
    up to $20, 0 from 20 to 25 (E / 3 = 1,000 p), (2,000 p + 30,000) / 3 - 1,000 p = (30,000 - 1,000 p)
    / 3 from 25 to 30 (5,000 / 3 at 25), 0 from 30 (B's floor no longer binds).
    Candidates: 0, B's floor kink 30 / 1 = 30 (B is forced by another entry), qipo's $25, the sale's
    breakpoints 40,000 and 60,000 at 40/3 and 20, and 2 x 30 + 1 = 61: losses 0, 20,000/3, 0, 5,000/3,
    0, 0. The last losing candidate is 25, the next 30: it loses up to $30.00. (Without the kink of B's
    floor the next is 61, and the interpolation claimed losses up to $51, where at $40 A holds 40,000,
    a third of E = 120,000, exactly its payout in a sale: the product fix of this test.)
    The roundest price of (40/3, 30) is $20, where the loss is 0: the example falls back to the worst
    price 40/3 (E = 40,000, A holds 40,000/3 against 20,000), and no "the most" part follows.
    Kills _free_price 13 (qipo's multiple 2.5 taken as the price: 25 missing, the last losing candidate
    40/3, up to $20), 112 (`lx < 0`: the example at $20 with nothing moved), 114-118 (the fallback's
    values), 166, 171, 173 (the "the most" part)."""
    model, an = analysed(str(FREE))
    f = _free(model, an)
    assert (f.line, f.severity, f.clause) == (59, Severity.WARNING, "4.B.4(b); 4.B.2(a)")
    assert f.witness == {
        "entry": "sized", "series": "A", "basis": "min_aggregate", "price": "40/3", "company_value": "40000",
        "value_converted": "40000/3", "value_in_sale": "20000", "moved": "20000/3", "loses_up_to_price": "30",
        "most_moved": "20000/3", "most_moved_price": "40/3"}
    assert f.message == (
        "Series A has no price floor in a qualifying offering (4.B.4(b): only a raise of $2,000), unlike Series B "
        "(4.B.4(g)): an offering of that size converts it at any price, and at every price up to $30.00 a share it "
        "holds less than a sale of the same company value would pay. At about $13.33 a share (company value $40,000) "
        "it holds about $13,333.33 against $20,000 in a sale: about $6,666.67 moves to other holders")


def test_a_size_only_entry_over_a_floored_series_and_another():
    """auto-free.toml with `sized` converting B and A: B's floor now binds in every offering of that
    size: E(p) = 2,000 p + 30,000 below $30, 3,000 p above.
    B holds 1,000 max(p, 30) >= 30,000, more than its sale payout (at most 20,000 up to E = 60,000,
    then E / 3 < 30,000 below $30, = 1,000 p above): no finding for B, and A follows.
    A: E / 2 - 1,000 p = 15,000 up to $5 (E = 40,000), 20,000 - 1,000 p up to $15 (E = 60,000),
    (30,000 - 1,000 p) / 3 up to $30, 0 above. Candidates 0, 5, 15, 25, 30, 61: 15,000, 15,000,
    5,000, 5,000/3, 0, 0: the most $15,000 at the first of them, $0; up to $30; the example, the
    roundest price of (0, 30), $10: E = 50,000, A holds 10,000 against 20,000.
    Kills _free_price 70 (`continue` -> `break` after B) and 8 (`{0} & kinks`: the price 0 dropped, the
    most at $5)."""
    model, an = variant(FREE, ('series = ["A"]', 'series = ["B", "A"]'))
    f = _free(model, an)
    assert f.witness == {
        "entry": "sized", "series": "A", "basis": "min_aggregate", "price": "10", "company_value": "50000",
        "value_converted": "10000", "value_in_sale": "20000", "moved": "10000", "loses_up_to_price": "30",
        "most_moved": "15000", "most_moved_price": "0"}
    assert f.message.endswith(
        "at every price up to $30.00 a share it holds less than a sale of the same company value would pay. At $10.00 "
        "a share (company value $50,000) it holds $10,000 against $20,000 in a sale: $10,000 moves to other holders; "
        "the most, $15,000, at $0.00 a share")


def test_a_participating_series_loses_at_every_price():
    """auto-free.toml with A fully participating. In a sale A takes its $20,000 and half of what
    follows the $40,000 of preferences (with common) while B keeps; B converts when (E - 20,000) / 3
    > 20,000, E > 80,000, and A then takes 20,000 + (E - 20,000) / 3.
    A's loss: 500 p below $25 (E = 3,000 p: E / 2 below 40,000, 20,000 + (E - 40,000) / 2 up to 75,000);
    at $25 (B forced: E = 50,000 + 30,000 = 80,000): 20,000 + 20,000 - 25,000 = 15,000, the most;
    (70,000 - 1,000 p) / 3 up to $30; 20,000 + (3,000 p - 20,000) / 3 - 1,000 p = 40,000 / 3 above:
    positive at every price, the top probe included: no price bounds the loss, and the example is the
    worst price, $25. A participating series: info.
    Kills _free_price 77, 79 (the root past the last candidate), 101, 106, 109 (the example of an
    unbounded losing range), 175 (its severity)."""
    model, an = variant(FREE, PARTICIPATING)
    f = _free(model, an)
    assert (f.line, f.severity, f.clause) == (63, Severity.INFO, "4.B.4(b); 4.B.2(a)")
    assert f.witness == {
        "entry": "sized", "series": "A", "basis": "min_aggregate", "price": "25", "company_value": "80000",
        "value_converted": "25000", "value_in_sale": "40000", "moved": "15000", "loses_up_to_price": None,
        "most_moved": "15000", "most_moved_price": "25"}
    assert f.message == (
        "Series A has no price floor in a qualifying offering (4.B.4(b): only a raise of $2,000), unlike Series B "
        "(4.B.4(g)): an offering of that size converts it at any price, and at every price it holds less than a sale "
        "of the same company value would pay. At $25.00 a share (company value $80,000) it holds $25,000 against "
        "$40,000 in a sale: $15,000 moves to other holders")


def test_a_loss_that_ends_past_the_last_candidate():
    """As test_a_participating_series_loses_at_every_price, with a management carve-out of 20% of a
    sale ([scenario] carve_out_percent): the sale distributes D = 0.8 E. Breakpoints at D = 40,000
    and 80,000 (E = 50,000 and 100,000, prices 50/3 and 100/3). From $30 (E = 3,000 p > 100,000 from
    100/3), A takes 20,000 + (0.8 x 3,000 p - 20,000) / 3 = 40,000/3 + 800 p against 1,000 p: it
    loses 40,000/3 - 200 p, down to 0 at p = 200/3, past the top candidate 100/3: the probe
    2 x 100/3 + 1 = 203/3 (a loss of -200) bounds it, and the root is exact there (the loss is affine
    past the top). The most: at $25 (B forced, E = 80,000, D = 64,000): 20,000 + 24,000 / 2 = 32,000
    against 25,000, 7,000; the example, the roundest price of (50/3, 200/3), $20: E = 60,000,
    D = 48,000, A takes 20,000 + 8,000 / 2 = 24,000 against 20,000.
    Kills _free_price 26 (a probe at 197/3, where the loss is still 200: no bound), 27 (a probe below
    the top: no bound), 90 (`l0 + l1`)."""
    carve = ("[captable]", '[scenario]\ncarve_out_percent = "0.2"\nsource = "assumption"\n\n[captable]')
    model, an = variant(FREE, PARTICIPATING, carve)
    assert [b.x for b in an.breakpoints] == [50000, 100000]
    f = _free(model, an)
    assert f.witness == {
        "entry": "sized", "series": "A", "basis": "min_aggregate", "price": "20", "company_value": "60000",
        "value_converted": "20000", "value_in_sale": "24000", "moved": "4000", "loses_up_to_price": "200/3",
        "most_moved": "7000", "most_moved_price": "25"}


def test_a_floored_series_in_a_size_only_entry():
    """auto-free.toml with `sized` converting B, B's floor $12, and a $1 floor for A listed first
    (4.B.4(i)). B forced: E(p) = 2,000 p + 1,000 max(p, 12). B's loss: 1,000 p + 6,000 - 12,000 up to
    $12 (E / 2), 500 p up to 40/3, 20,000 - 1,000 p up to $20, 0 above: it loses up to $20.00, the
    most 20,000/3 at 40/3; the example $13: E = 39,000, B holds 13,000 against 19,500.
    The words name B's own floor and clause. Kills _free_price 140 (`or`: the first floor, A's) and
    141 (`!=`: another series' floor)."""
    floors = ("[[ipo_ratchets]]", '[[ipo_ratchets]]\nseries = "A"\nkind = "price_floor"\nfloor_price = "1"\n'
                                  'source = "4.B.4(i)"\n\n[[ipo_ratchets]]')
    model, an = variant(FREE, ('series = ["A"]', 'series = ["B"]'), ('floor_price = "30"', 'floor_price = "12"'), floors)
    f = _free(model, an)
    assert f.message.startswith(
        "Series B, even with its IPO price floor of $12.00 (4.B.4(g)), converts in any offering of $2,000 (4.B.4(b)), "
        "and at every price up to $20.00 a share it holds less than a sale of the same company value would pay. At "
        "$13.00 a share (company value $39,000) it holds $13,000 against $19,500 in a sale: $6,500 moves")


def test_a_size_only_entry_over_series_that_cannot_convert_or_do_not_lose():
    """auto-series.toml (N straight preferred, S floored at $24, P, F participating with no preference)
    with qpo (line 88) a size test only, $1,000:
    - converting N and P, with a $1 floor for F too (4.B.4(j)): N cannot convert (skipped); P at $10:
      S, F not forced, as converted: E = 4 x 10,000 = 40,000; in the sale N takes 1,000, P keeps its
      20,000 (converting: 39,000 / 4 = 9,750), S converts: P holds 10,000 against 20,000. The other
      floors named: S and F, with both clauses.
    - converting S and F: S floored at $24 never loses; F at $10: E = 10,000 + 24,000 + 10,000 + 10,000
      = 54,000, and in the sale F takes (54,000 - 1,000 - 20,000) / 3 = 11,000 against 10,000: info
      (participating), its clause the entry's alone (no preference).
    Kills _free_price 44 (`continue` -> `break` at N), 129 (the floors' clauses joined by "XX; XX"),
    70 (`break` after S) and 193 (`s.preference or True` on F)."""
    qpo = 'series = ["N", "S", "P", "F"]\nmin_price_per_share = "10"'
    f_floor = ('source = "4.B.4(c)"\n\n[captable]', 'source = "4.B.4(c)"\n\n[[ipo_ratchets]]\nseries = "F"\nkind = '
                                                   '"price_floor"\nfloor_price = "1"\nsource = "4.B.4(j)"\n\n[captable]')
    model, an = variant(SERIES, (qpo, 'series = ["N", "P"]\nmin_aggregate = "1000"'), f_floor)
    [f] = automatic.check(model, an)
    assert (f.line, f.severity, f.witness["series"], f.witness["price"], f.witness["company_value"],
            f.witness["value_converted"], f.witness["value_in_sale"]) == (
        88, Severity.WARNING, "P", "10", "40000", "10000", "20000")
    assert f.message.startswith("Series P has no price floor in a qualifying offering (4.B.4(b): only a raise of "
                                "$1,000), unlike Series S, F (4.B.4(c); 4.B.4(j)): an offering of that size")
    model, an = variant(SERIES, (qpo, 'series = ["S", "F"]\nmin_aggregate = "1000"'))
    [f] = automatic.check(model, an)
    assert (f.line, f.severity, f.clause, f.witness["series"], f.witness["price"], f.witness["company_value"],
            f.witness["value_converted"], f.witness["value_in_sale"]) == (
        88, Severity.INFO, "4.B.4(b)", "F", "10", "54000", "10000", "11000")


def test_a_loss_of_less_than_a_dollar():
    """automatic_fail.toml scaled down: one common share, one share of A ($1 preference, 1:1), an
    offering of $100 at any price. E = 2 p; in a sale A takes min(E, 1) up to E = 2 (it converts
    above). Its loss: p up to $0.50, 1 - p up to $1, 0 above: the most $0.50 at $0.50, up to $1.00;
    the example the roundest price of (0.5, 1), $0.60: E = 1.20, A holds 0.60 against 1.
    Kills _free_price 69 (`worst <= 1`: no finding), 76 (`> 1`: no losing candidate, an error) and 113
    (`lx <= 1`: the example's $0.40 taken for no loss, the worst price shown instead)."""
    model, an = variant(AUTOMATIC_FAIL, ('min_price_per_share = "5"', 'min_aggregate = "100"'),
                        ('designated = 1000', 'designated = 1'), ('per_share = "10"', 'per_share = "1"'),
                        ('common_outstanding = 1000', 'common_outstanding = 1'))
    f = _free(model, an)
    assert (f.witness["price"], f.witness["company_value"], f.witness["moved"], f.witness["loses_up_to_price"],
            f.witness["most_moved"], f.witness["most_moved_price"]) == ("0.6", "1.2", "0.4", "1", "0.5", "0.5")


def test_a_loss_that_ends_past_the_probe():
    """As test_a_loss_that_ends_past_the_last_candidate with a carve-out of 19.6%: D = 0.804 E. The
    breakpoints are at D = 40,000 and 80,000: E = 10,000,000/201 and 20,000,000/201, the top candidate
    price t = 20,000,000 / (201 x 3,000) = 20,000/603 (about $33.17, past B's floor kink $30). Past t, A
    loses 40,000/3 - 196 p (20,000 + (0.804 x 3,000 p - 20,000) / 3 - 1,000 p), down to 0 at p* =
    40,000 / 588 = 10,000/147 (about $68.03): past the probe 2t + 1 = 40,603/603 (about $67.33), where it
    still loses. The loss is affine past t, so the root through t and the probe is p* itself (the
    product fix of this test: it read the loss at the probe as unbounded, "at every price").
    The example: $20 (E = 60,000, D = 48,240, A takes 20,000 + 8,240 / 2 = 24,120); the most at $25
    (E = 80,000, D = 64,320, B keeps: 20,000 + 24,320 / 2 = 32,160 against 25,000: 7,160).
    With the extrapolation any probe past t gives the same root, so the probe's position (_free_price 26,
    28, 29 on the code before the fix) no longer shows."""
    carve = ("[captable]", '[scenario]\ncarve_out_percent = "0.196"\nsource = "assumption"\n\n[captable]')
    model, an = variant(FREE, PARTICIPATING, carve)
    assert [b.x for b in an.breakpoints] == [F(10000000, 201), F(20000000, 201)]
    f = _free(model, an)
    assert f.witness == {
        "entry": "sized", "series": "A", "basis": "min_aggregate", "price": "20", "company_value": "60000",
        "value_converted": "20000", "value_in_sale": "24120", "moved": "4120", "loses_up_to_price": "10000/147",
        "most_moved": "7160", "most_moved_price": "25"}
    assert "at every price up to about $68.03 a share it holds less" in f.message


def test_a_loss_past_a_top_candidate_below_a_dollar():
    """test_a_loss_of_less_than_a_dollar's charter with A fully participating and a 20% carve-out:
    D = 0.8 E = 1.6 p. A takes all of D up to its $1 (E = 1.25, p = 0.625, the one breakpoint), then
    1 + (D - 1) / 2. Its loss: 0.6 p up to $0.625 (0.375, the most), then 1 + (1.6 p - 1) / 2 - p =
    0.5 - 0.2 p, 0 at $2.50. Candidates 0, 0.625 and the probe 2 x 0.625 + 1 = 2.25 (a loss of 0.05,
    still positive but falling): the root past the probe, $2.50. The example, the roundest price of
    (0.625, 2.5), $1: E = 2, D = 1.6, A takes 1.3 against 1.
    Kills _free_price 26 (a probe at 2 x 0.625 - 1 = 0.25, below the top: no point past it, no bound)."""
    model, an = variant(AUTOMATIC_FAIL, ('min_price_per_share = "5"', 'min_aggregate = "100"'),
                        ('designated = 1000', 'designated = 1'), ('per_share = "10"', 'per_share = "1"'),
                        ('common_outstanding = 1000', 'common_outstanding = 1'),
                        ('source = "4.B.4(a)"\n\n[[tiers]]', 'source = "4.B.4(a)"\n\n[series.participation]\nkind = "full"\n'
                                                             'source = "4.B.2(b)"\n\n[[tiers]]'),
                        ("[captable]", '[scenario]\ncarve_out_percent = "0.2"\nsource = "assumption"\n\n[captable]'))
    assert [b.x for b in an.breakpoints] == [F(5, 4)]
    f = _free(model, an)
    assert (f.witness["price"], f.witness["company_value"], f.witness["value_in_sale"], f.witness["moved"],
            f.witness["loses_up_to_price"], f.witness["most_moved"], f.witness["most_moved_price"]) == (
        "1", "2", "1.3", "0.3", "2.5", "0.375", "0.625")

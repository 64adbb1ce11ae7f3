import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from textwrap import dedent

from charterverify.findings import Severity
from charterverify.text import check_traceability


@dataclass
class Num:
    key: str
    value: object
    source: str
    file: str = "model.toml"
    line: int | None = 7


TEXT = dedent("""\
    ARTICLE IV

         B. Preferred Stock. The Series A Preferred Stock shall consist of Nine Million One
    Hundred Thousand (9,100,000) shares.

              2. Liquidation Preference.

                   (a) Each holder receives $4.15 per share.

                        (i) The holders of sixty percent (60%) may waive.

                   (b) Participation continues until holders have received $10.375 per share.

              3. Conversion.

                   (a) Conversion price $8.30; redemption on April 1, 2005; cash of $0.925.
    """)


def run(tmp_path, nums):
    p = tmp_path / "charter.txt"
    p.write_text(TEXT)
    return p, check_traceability(nums, p)


def test_numbers_found_in_figures_words_percent_and_dates(tmp_path):
    nums = [
        Num("series[A].designated", 9100000, "IV.B"),
        Num("series[A].preference", Fraction("4.15"), "IV.B.2(a)"),
        Num("series[A].waiver", Fraction(3, 5), "IV.B.2(a)"),  # child (i) is covered by its parent
        Num("series[A].participation.cap", Fraction("10.375"), "IV.B.2(b)"),
        Num("series[A].conversion.price", Fraction("8.3"), "IV.B.3(a)"),  # 8.3 matches "$8.30"
        Num("series[A].conversion.cash", "0.925", "IV.B.3"),
        Num("redemption.date", dt.date(2005, 4, 1), "IV.B.3(a)"),
        Num("assumed.thing", 42, "assumption"),
    ]
    p, fs = run(tmp_path, nums)
    assert [f for f in fs if f.rule == "text.untraced-number"] == []
    # every dollar amount in the liquidation/conversion clauses is used by the model
    assert [f for f in fs if f.rule == "text.unused-amount"] == []


def test_untraced_numbers_point_at_the_model(tmp_path):
    nums = [
        Num("series[A].participation.cap", Fraction("10.5"), "IV.B.2(b)", line=12),
        Num("series[A].preference", Fraction("4.15"), "IV.B.2(b)", line=13),  # wrong clause
        Num("series[A].conversion.price", Fraction("8.30"), "IV.B.9", line=14),  # no such clause
        Num("series[A].designated", 9200000, "IV.B", line=15),
    ]
    p, fs = run(tmp_path, nums)
    un = [f for f in fs if f.rule == "text.untraced-number"]
    assert [(f.file, f.line, f.severity) for f in un] == [("model.toml", n, Severity.ERROR) for n in (12, 13, 14, 15)]
    assert "IV.B.9" in un[2].message and "names no clause" in un[2].message
    assert un[0].witness["value"] == "10.5"


def test_unused_amounts_are_info(tmp_path):
    nums = [Num("series[A].preference", Fraction("4.15"), "IV.B.2(a)")]
    p, fs = run(tmp_path, nums)
    unused = sorted((f.line, f.witness["amount"]) for f in fs if f.rule == "text.unused-amount")
    assert unused == [(12, "$10.375"), (16, "$0.925"), (16, "$8.30")]
    assert all(f.severity == Severity.INFO and f.file == str(p) for f in fs if f.rule == "text.unused-amount")


def test_quintus_numbers_trace(seed):
    q = seed("quintus")
    nums = [
        Num("series[A].designated", 9100000, "IV.B"),
        Num("series[E].preference", Fraction("4.15"), "IV.B.2(a)(v)"),
        Num("series[E].participation.cap", Fraction("10.375"), "IV.B.2(b)"),
        Num("series[E].series_e_price", Fraction("8.3"), "IV.B.3(b)(ii)"),
        Num("series[E].auto_conversion_vote", Fraction("0.6"), "IV.B.3(b)(ii)"),
        Num("series[A].conversion.cash_per_share", Fraction("0.925"), "IV.B.3(a)"),
        Num("common.authorized", 100000000, "IV.A"),
        Num("series[F].preference", Fraction("8.25"), "IV.B.2(a)"),
    ]
    fs = check_traceability(nums, q)
    assert [f for f in fs if f.rule == "text.untraced-number"] == []
    wrong = check_traceability([Num("series[E].preference", Fraction("4.16"), "IV.B.2(a)(v)")], q)
    assert [f.rule for f in wrong if f.rule == "text.untraced-number"] == ["text.untraced-number"]


def test_netgear_and_kinzan_sources(seed):
    n = seed("netgear")
    fs = check_traceability([
        Num("series[C].preference", Fraction("1.7909"), "V.1(f)"),
        Num("series[C].conversion.price", Fraction("1.2937"), "V.1(b)"),
        Num("auto_conversion.min_proceeds", 35000000, "V.4(b)"),  # "$35 million"
    ], n)
    assert [f for f in fs if f.rule == "text.untraced-number"] == []
    k = seed("kinzan")
    fs = check_traceability([
        Num("series[C].preference", Fraction("12.30"), "FOURTH.B.2(a)"),
        Num("series[A].designated", 5847895, "FOURTH.B"),
        Num("redemption.start", dt.date(2005, 4, 1), "FOURTH.B.3(a)"),
        Num("ipo.price", 15, "FOURTH.B.4(b)"),
    ], k)
    assert [f for f in fs if f.rule == "text.untraced-number"] == []

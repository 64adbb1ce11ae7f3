"""The drafter on the five seeds, measured against the expert's hand models (issue 12 §3).

Each hand model in charters/*.toml is stated in the drafter's fact keys
(charterverify.draft.gate.model_facts) and compared fact by fact with a fresh draft of its
text: designated shares, issue prices, preferences, participation and caps, conversion
prices, tiers, automatic-conversion thresholds and class votes."""

from __future__ import annotations

import io
import json
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest

from charterverify.cli import main
from charterverify.draft import draft_document
from charterverify.draft.gate import compare
from charterverify.model import load_model

ROOT = Path(__file__).resolve().parents[2]
SEEDS = (ROOT / ".." / "shared" / "seeds").resolve()
NAMES = ["kinzan", "juniper", "quintus", "valuestar", "netgear"]

pytestmark = pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds not found")


@pytest.fixture(scope="module")
def comparisons():
    out = {}
    for n in NAMES:
        m = load_model(ROOT / "charters" / f"{n}.toml")
        out[n] = (m, draft_document(m.text_path))
    return out


def test_seed_counts(comparisons):
    """>= 90% of the hand models' facts equal, none silently wrong.  The counts, per status, of the
    facts a text states (the [readings] and the assumed cap table, which are documented readings by
    definition, are left out): equal 173 of 176 (169 + Quintus' four cash amounts on conversion,
    IV.B.3(a)); review 1 (Quintus: the automatic-conversion votes differ by series, E 60% / F a
    majority / G a majority, which one fact cannot hold); reading 2 (Valuestar's authorized common
    and preferred, stated as assumptions: its certificate of designation does not state them)."""
    total: Counter[str] = Counter()
    per: dict[str, Counter[str]] = {}
    for n, (m, d) in comparisons.items():
        per[n] = Counter(c.status for c in compare(m, d) if not c.mf.key.startswith(("readings.", "captable.")))
        total += per[n]
    assert total["differs"] == 0, [(n, c.mf.key, c.mf.value, c.df.value) for n, (m, d) in comparisons.items()
                                   for c in compare(m, d) if c.status == "differs"]
    n_all = sum(total.values())
    assert n_all == 176
    assert total["equal"] == 173 and total["equal"] / n_all >= 0.9
    assert total["review"] == 1 and total["reading"] == 2 and total["missing"] == 0
    assert per["kinzan"] == Counter(equal=22)
    assert per["juniper"] == Counter(equal=34)
    assert per["netgear"] == Counter(equal=22)


def test_values_and_citations(comparisons):
    _, k = comparisons["kinzan"]
    f = k.get("series.A.original_issue_price")
    # FOURTH.B.2(a), line 101: "$0.90 for each outstanding share of Series A Preferred Stock"
    assert (f.value, f.source, f.line, f.review) == (Fraction(9, 10), "FOURTH.B.2(a)", 101, False)
    assert "$0.90" in f.quote
    cp = k.get("series.C.conversion_price")
    # stated by reference at 4(a) (line 325) to the Original Series C Issue Price of 2(a) (line 104)
    assert (cp.value, cp.source, cp.line) == (Fraction(123, 10), "FOURTH.B.4(a)", 326)
    assert cp.also == (("FOURTH.B.2(a)", 104),)
    assert k.get("authorized.common").value == 70_000_000  # "Seventy million (70,000,000)", FOURTH.A
    assert k.get("auto.offering_min_price").value == 15 and k.get("auto.offering_min_proceeds").value == 20_000_000
    _, q = comparisons["quintus"]
    cap = q.get("series.G-4.participation_cap_per_share")
    # IV.B.2(b) line 280: "$10.375, $12.375, $6.436, $9.654, $11.263, $19.308, ..." respectively: G-4 is the 6th
    assert (cap.value, cap.source) == (Fraction("19.308"), "IV.B.2(b)")
    assert q.get("series.F.tier").value == 1 and q.get("series.A.tier").value == 2  # F "prior and in preference to" A-G
    _, j = comparisons["juniper"]
    assert j.get("series.B.conversion_price").value == Fraction("1.07")  # FOURTH.6(a)(i), line 239
    assert j.get("auto.vote_threshold").value == Fraction(2, 3)
    _, v = comparisons["valuestar"]
    assert v.get("series.B.participation_cap_per_share").value == 30  # "$30.00 per share", B.1 line 106
    assert v.get("series.B.original_issue_price").note  # a documented reading: the conversion numerator


def _payouts(args: list[str]) -> dict:
    buf = io.StringIO()
    import contextlib

    with contextlib.redirect_stdout(buf):
        rc = main(args)
    assert rc == 0
    return json.loads(buf.getvalue())["exits"][0]["payouts"]


@pytest.mark.parametrize("name", ["kinzan", "juniper", "netgear", "quintus"])
def test_acceptance_same_payouts(name, tmp_path):
    """A seed whose draft has no review item on an economic fact of a sale pays the same as
    its hand model at $100M (Quintus' only review item is its automatic-conversion vote; its
    class vote and cash on conversion are drafted).  The common outstanding is the hand
    model's assumption, given with --captable (the charter states only the authorized
    number).  Quintus names its series "G-1" as the charter does; the hand model "G1"."""
    hand = load_model(ROOT / "charters" / f"{name}.toml")
    ct = tmp_path / "captable.toml"
    ct.write_text(f"common_outstanding = {hand.captable.common_outstanding}\n")
    out = tmp_path / f"{name}.toml"
    with open(tmp_path / "stdout", "w") as so:
        import contextlib

        with contextlib.redirect_stdout(so):
            assert main(["--draft", str(hand.text_path), "-o", str(out), "--captable", str(ct)]) == 0
    drafted = _payouts([str(out), "--exit", "100000000", "--format", "json"])
    expected = _payouts([str(ROOT / "charters" / f"{name}.toml"), "--exit", "100000000", "--format", "json"])
    assert {k.replace("-", ""): v for k, v in drafted.items()} == expected

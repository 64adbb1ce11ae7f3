"""Survivors of the full mutation run over charterverify/properties/ (docs/testing.md, "properties/
(the whole package)"), killed here. Each test names the mutants it kills in its docstring (mutmut's
names, without the `charterverify.properties.` prefix); every number is worked out by hand in the
comments.
"""

from __future__ import annotations

import dataclasses as dc
from fractions import Fraction as F

from charterverify.model import load_model
from charterverify.properties import consistency

from propsupport import PROPS

REFERENCES = PROPS / "references.toml"


def _broken_references():
    """references.toml rewritten in code so that every kind of reference consistency checks is broken.

    Series A (tier junior in the file), B (tier senior), and C added in code: A's copy with a zero
    preference, in no tier. Tiers: senior [B] (file tiers[0], line 42), junior [Z, B] (tiers[1],
    line 47), senior [B] again. The class vote AB names X, the automatic conversion qpo names W
    and votes V, the IPO ratchet names U, option pool `pool` buys T, and the cap table counts A,
    C and Y (no B)."""
    m = load_model(REFERENCES)
    a, b = m.series
    senior, junior = m.tiers
    c = dc.replace(a, id="C", preference=dc.replace(a.preference, per_share=F(0)))
    return m, dc.replace(
        m, series=(a, b, c),
        tiers=(senior, dc.replace(junior, series=("Z", "B")), dc.replace(senior, series=("B",))),
        class_votes=(dc.replace(m.class_votes[0], series=("A", "X")),),
        automatic_conversions=(dc.replace(m.automatic_conversions[0], series=("A", "W"), vote_series=("V",)),),
        ipo_ratchets=(dc.replace(m.ipo_ratchets[0], series="U"),),
        captable=dc.replace(m.captable, outstanding={"A": 1000, "C": 10, "Y": 5},
                            options=(dc.replace(m.captable.options[0], buys="T"),)))


def _all(findings):
    return [(f.rule, f.severity.label, f.verdict.value, f.message, f.line, f.clause, f.witness) for f in findings]


def test_a_series_without_an_outstanding_count_is_reported_not_a_crash():
    """A model built in code whose cap table has no count for Series B, under an authorized common
    of 1,500: `_authorized` read `model.outstanding("B")` and raised KeyError, so the check meant
    to report the missing count ("has no outstanding share count") never ran. Now the missing count
    needs no common: A 1,000 x 1 + C 10 x 1 = 1,010 needed (pool buys T, unknown: 0), 1,500 - 1,000
    = 500 free."""
    _, bad = _broken_references()
    bad = dc.replace(bad, common_authorized=1500)
    found = consistency.check(bad)
    assert (found[0].message, found[0].witness) == (
        "Conversion needs 1,010 common shares (1,010 for the preferred as converted) but only 500 are "
        "authorized and unissued (1,500 authorized, 1,000 outstanding)",
        {"needed": "1010", "available": 500, "authorized": 1500, "common_outstanding": 1000})
    assert ("Series B has no outstanding share count in the cap table", {"series": "B"}) in [
        (f.message, f.witness) for f in found]

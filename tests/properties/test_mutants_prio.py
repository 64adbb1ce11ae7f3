"""Tests for the surviving mutants of properties/priority.py and seniority.full_amount (issue 17).

Every expected value is worked out by hand in the docstrings (the charters' header comments give
the waterfalls); each test names the mutants it kills (mutmut 3.8.1 numbering of the 2026-11-29
run, `charterverify.properties.priority.x_check__mutmut_N` and so on).
"""

from __future__ import annotations

from charterverify.findings import Severity
from charterverify.properties import priority

from propsupport import PROPS, variant

CAPPED = PROPS / "prio-capped.toml"

# prio-capped.toml without S's participation and conversion: S is paid min(E - cash, 500) at most
NO_PARTICIPATION = ('[series.participation]\nkind = "full"\nsource = "4.B.2(c)"\n\n'
                    '[series.conversion]\nprice = "10"\nsource = "4.B.3(a)"\n', "")
NO_CASH = ('cash_per_share = "0.2"\ncash_source = "4.B.3(a)(i)"\n', "")


def _priority(model, an):
    return [f for f in priority.check(model, an) if f.rule == "priority"]


def test_violation_on_an_unbounded_range():
    """prio-capped.toml with a non-participating, non-converting S: S is owed $1,000 but its tier
    pays at most $500, so S is short at every exit value.
    X converted: cash min(E, 200), S min(E - 200, 500), the rest E - 700 to 1,000 common + 1,000 X:
    X = 200 + (E - 700)/2. X kept: S min(E, 500), X min(E - 500, 1,000), common E - 1,500.
    X converts below $700 (200 > max(E - 500, 0)) and above $2,300 (200 + (E - 700)/2 > 1,000);
    between, 200 + (E - 700)/2 - (E - 500) = 350 - E/2 < 0. So the violation ranges are
    $0-$700 and $2,300 up (unbounded). The first region is the segment 0-200: E = 100 (the roundest
    point of (0, 200)), X takes all $100, S $0.
    Before the fix, `r[0] < r[1]` compared $2,300 with None (the open end) and the check raised
    TypeError. Kills x_check 122, 123, 124, 126, 127 (each still compares with None) and 129
    (min by the upper end compares None with $200)."""
    m, an = variant(CAPPED, NO_PARTICIPATION)
    (f,) = _priority(m, an)[:1]
    assert f.message == (
        "Series X (tier junior) converts and is paid ahead of Series S's senior preference for exit values "
        "from $0 to $700; from $2,300 up: at $100 it takes $100 through its cash on conversion (4.B.3(a)(i), "
        "$0.20 per share, reading cash_on_conversion = before_preferences) while Series S (tier senior, "
        "ranking ahead of it) receives $0 of its $1,000 preference")
    assert f.witness["ranges"] == [["0", "700"], ["2300", None]]
    assert f.severity == Severity.WARNING

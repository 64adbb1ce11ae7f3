"""`verify CHARTER --split FACTOR` (docs/scenarios.md): the conversion prices it prints.

NETGEAR (charters/netgear.toml): conversion prices A and B $4.5143, C $1.2937 (V.1(b),
V.4(a)); a 2-for-1 split of the common halves each: $2.25715 and $0.64685. A 1:10
combination multiplies them by 10: $45.143 and $12.937.

Mutation that kills it (run): the split factor inverted in the CLI's split step.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from charterverify.cli import main

NETGEAR = Path(__file__).resolve().parents[1] / "charters" / "netgear.toml"


@pytest.mark.parametrize("factor, a, c", [("2", "$2.25715", "$0.64685"), ("1:10", "$45.143", "$12.937")])
def test_split_prints_the_adjusted_conversion_prices(capsys, factor, a, c):
    code = main([str(NETGEAR), "--no-properties", "--split", factor, "--exit", "1000000"])
    out = capsys.readouterr().out
    assert code == 0
    assert f"Series A: $4.5143 -> {a}" in out
    assert f"Series B: $4.5143 -> {a}" in out
    assert f"Series C: $1.2937 -> {c}" in out

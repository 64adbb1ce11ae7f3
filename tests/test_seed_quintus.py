"""Hand-worked payouts for the Quintus charter (seed 002, Article IV).

Every expected value below is worked out by hand from the charter text and the
assumed cap table (common 15,000,000; every series outstanding = designated;
dividends 0); readings own_cap and before_preferences (see charters/quintus.toml).

Figures used throughout (per share, from IV.B.2(a), IV.B.2(b), IV.B.3(a)):

  series  shares      pref     full preference       cap      cap room (cap - pref)      cash
  A       9,100,000   1.00      9,100,000            -        -                          0.925 -> 8,417,500
  B       1,000,000   1.43      1,430,000            -        -                          1.325 -> 1,325,000
  C       3,000,000   1.91      5,730,000            -        -                          1.765 -> 5,295,000
  D       1,455,000   2.75      4,001,250            -        -                          2.544 -> 3,701,520
  E       3,000,000   4.15     12,450,000            10.375   6.225 -> 18,675,000
  F       1,500,000   8.25     12,375,000 (senior)   12.375   4.125 ->  6,187,500
  G1        279,679   3.218       900,007.022         6.436   3.218 ->    900,007.022
  G2        696,960   4.827     3,364,225.92          9.654   4.827 ->  3,364,225.92
  G3        486,642   5.631     2,740,281.102        11.263   5.632 ->  2,740,767.744
  G4        841,518   9.654     8,124,014.772        19.308   9.654 ->  8,124,014.772
  G5      1,074,853  11.263    12,106,069.339        22.526  11.263 -> 12,106,069.339
  G6        180,048   8.335     1,500,700.08         16.669   8.334 ->  1,500,520.032

  Every conversion price = OIP, so every series converts 1:1.
  G shares: 279,679 + 696,960 + 486,642 + 841,518 + 1,074,853 + 180,048 = 3,559,700
  G preferences: 28,735,298.235;  E + G preferences: 41,185,298.235
  Junior tier (A-E, G) preferences J = 20,261,250 + 12,450,000 + 28,735,298.235 = 61,446,548.235
  Full stack = 12,375,000 + 61,446,548.235 = 73,821,548.235
  Cash Amounts (A-D convert) = 8,417,500 + 1,325,000 + 5,295,000 + 3,701,520 = 18,739,020
  With A-D converted, nobody else: K = 18,739,020 + 12,375,000 + 41,185,298.235 = 72,299,318.235
  As-converted shares, everyone: N = 15,000,000 + 14,555,000 + 3,000,000 + 1,500,000 + 3,559,700 = 37,614,700
  Residual sharers when A-D stay preferred (A-D do not participate): 15,000,000 + 3,000,000 + 1,500,000 + 3,559,700 = 23,059,700

The A-D class vote (IV.B.3(a)) is carried by Series A alone (9,100,000 of 14,555,000 > 1/2),
so A-D convert when Series A is strictly better off: Cash Amount 0.925 + its common
share, against its 1.00 preference (or its shortfall share of the junior tier).

Equilibria: a unit converts only if strictly better off given the others' choices
(ties keep the preferred), so an equilibrium is a profile where every unit's choice is
that tie-broken best response. Counted this way each exit tested has exactly one.
"""

from __future__ import annotations

from fractions import Fraction as Fr
from pathlib import Path

import pytest

from charterverify.model import load_model

MODEL_PATH = Path(__file__).resolve().parents[1] / "charters" / "quintus.toml"

HOLDERS = ("A", "B", "C", "D", "E", "F", "G1", "G2", "G3", "G4", "G5", "G6", "common")
AD = ("A", "B", "C", "D")

# Fixed per-series amounts (worked in the module docstring).
PREF = {
    "A": Fr(9_100_000),                # 9,100,000 x $1.00
    "B": Fr(1_430_000),                # 1,000,000 x $1.43
    "C": Fr(5_730_000),                # 3,000,000 x $1.91
    "D": Fr("4001250"),                # 1,455,000 x $2.75
    "E": Fr(12_450_000),               # 3,000,000 x $4.15
    "F": Fr(12_375_000),               # 1,500,000 x $8.25
    "G1": Fr("900007.022"),            # 279,679 x $3.218
    "G2": Fr("3364225.92"),            # 696,960 x $4.827
    "G3": Fr("2740281.102"),           # 486,642 x $5.631
    "G4": Fr("8124014.772"),           # 841,518 x $9.654
    "G5": Fr("12106069.339"),          # 1,074,853 x $11.263
    "G6": Fr("1500700.08"),            # 180,048 x $8.335
}
CAP_TOTAL = {
    "E": Fr(31_125_000),               # 3,000,000 x $10.375
    "F": Fr(18_562_500),               # 1,500,000 x $12.375
    "G1": Fr("1800014.044"),           # 279,679 x $6.436
    "G2": Fr("6728451.84"),            # 696,960 x $9.654
    "G3": Fr("5481048.846"),           # 486,642 x $11.263
    "G4": Fr("16248029.544"),          # 841,518 x $19.308
    "G5": Fr("24212138.678"),          # 1,074,853 x $22.526
    "G6": Fr("3001220.112"),           # 180,048 x $16.669
}
CASH = {
    "A": Fr(8_417_500),                # 9,100,000 x $0.925
    "B": Fr(1_325_000),                # 1,000,000 x $1.325
    "C": Fr(5_295_000),                # 3,000,000 x $1.765
    "D": Fr(3_701_520),                # 1,455,000 x $2.544
}
CASH_TOTAL = Fr(18_739_020)
J = Fr("61446548.235")                 # junior tier preferences
STACK = Fr("73821548.235")             # F + junior tier
K = Fr("72299318.235")                 # cash + F + E + G preferences (A-D converted)
SHARES = {
    "A": 9_100_000, "B": 1_000_000, "C": 3_000_000, "D": 1_455_000,
    "E": 3_000_000, "F": 1_500_000, "G1": 279_679, "G2": 696_960,
    "G3": 486_642, "G4": 841_518, "G5": 1_074_853, "G6": 180_048,
    "common": 15_000_000,
}


def _check_table_arithmetic():
    # Guard the hand table itself (pure arithmetic on the charter figures).
    assert sum(PREF[s] for s in ("A", "B", "C", "D", "E", "G1", "G2", "G3", "G4", "G5", "G6")) == J
    assert PREF["F"] + J == STACK
    assert sum(CASH.values()) == CASH_TOTAL
    assert CASH_TOTAL + PREF["F"] + J - sum(PREF[s] for s in AD) == K
    assert sum(SHARES.values()) == 37_614_700


_check_table_arithmetic()


def full(**kw) -> dict[str, Fr]:
    """Expected payouts: every holder, zero unless given."""
    out = {h: Fr(0) for h in HOLDERS}
    for k, v in kw.items():
        assert k in out, k
        out[k] = Fr(v)
    return out


def converted_shares(p, *, uncapped=(), capped=(), conv=()):
    """Assemble a post-preference payout from a hand-derived price per common share p.

    uncapped: participating series below their cap -> preference + shares x p
    capped:   participating series at their cap -> shares x cap
    conv:     converted series -> (cash amount) + shares x p
    """
    out = {"common": SHARES["common"] * p}
    for s in uncapped:
        out[s] = PREF[s] + SHARES[s] * p
    for s in capped:
        out[s] = CAP_TOTAL[s]
    for s in conv:
        out[s] = CASH.get(s, Fr(0)) + SHARES[s] * p
    return out


# --------------------------------------------------------------------------- cases
# Each case: exit value, expected payouts, converted series, number of equilibria.

CASES = []

# ---- $10,000,000: below F's senior preference (12,375,000).
# A-D staying preferred: F takes all 10,000,000 (< 12,375,000), A gets 0.
# A-D converting: the Cash Amounts (18,739,020 > 10,000,000) are paid first and
# ratably (IV.B.3(c)): A gets 10,000,000 x 8,417,500 / 18,739,020 = 4,491,960.6... > 0.
# (Even if E, F and G all converted, A staying would get 10,000,000 x 9,100,000 /
# 20,261,250 = 4,491,350.5 < 4,491,960.6, so A-D convert whatever the others do.)
# With A-D converted nothing reaches F, E or G whatever they do: ties, they keep preferred.
V = Fr(10_000_000)
CASES.append(pytest.param(
    V,
    full(
        A=V * 8_417_500 / CASH_TOTAL,   # 10,000,000 x 8,417,500 / 18,739,020
        B=V * 1_325_000 / CASH_TOTAL,   # 10,000,000 x 1,325,000 / 18,739,020
        C=V * 5_295_000 / CASH_TOTAL,   # 10,000,000 x 5,295,000 / 18,739,020
        D=V * 3_701_520 / CASH_TOTAL,   # 10,000,000 x 3,701,520 / 18,739,020
        # F: 0 (the Cash Amounts absorb everything); E, G, common: 0
    ),
    AD, 1, id="10M-cash-amounts-take-all"))

# ---- $25,000,000: A-D convert; Cash Amounts in full, F short.
# Converting: cash 18,739,020 in full; F gets 25,000,000 - 18,739,020 = 6,260,980 (< 12,375,000).
# A staying instead: F 12,375,000, junior tier 12,625,000 x 9,100,000 / 61,446,548.235
#   = 1,869,737.9 < 8,417,500 -> A-D convert.
# F converting would give its 6,260,980 to the E/G tier (shortfall) and F nothing -> F stays.
CASES.append(pytest.param(
    Fr(25_000_000),
    full(A=8_417_500, B=1_325_000, C=5_295_000, D=3_701_520,
         F=6_260_980),                  # 25,000,000 - 18,739,020
    AD, 1, id="25M-F-short"))

# ---- $50,000,000: A-D convert; the E/G part of the junior tier is short.
# Cash 18,739,020; F 12,375,000; E + G share 50,000,000 - 31,114,020 = 18,885,980
# in proportion to full preferential amounts (41,185,298.235).
# A staying instead: 37,625,000 x 9,100,000 / 61,446,548.235 = 5,572,119.3 < 8,417,500.
_R = Fr(18_885_980)
_EG = Fr("41185298.235")
CASES.append(pytest.param(
    Fr(50_000_000),
    full(A=8_417_500, B=1_325_000, C=5_295_000, D=3_701_520,
         F=12_375_000,
         E=_R * PREF["E"] / _EG,        # 18,885,980 x 12,450,000 / 41,185,298.235
         G1=_R * PREF["G1"] / _EG,      # 18,885,980 x 900,007.022 / 41,185,298.235
         G2=_R * PREF["G2"] / _EG,      # 18,885,980 x 3,364,225.92 / 41,185,298.235
         G3=_R * PREF["G3"] / _EG,      # 18,885,980 x 2,740,281.102 / 41,185,298.235
         G4=_R * PREF["G4"] / _EG,      # 18,885,980 x 8,124,014.772 / 41,185,298.235
         G5=_R * PREF["G5"] / _EG,      # 18,885,980 x 12,106,069.339 / 41,185,298.235
         G6=_R * PREF["G6"] / _EG),     # 18,885,980 x 1,500,700.08 / 41,185,298.235
    AD, 1, id="50M-EG-short"))

# ---- $69,213,057.117375: Series A indifferent -> A-D keep the preferred.
# Converting gives A exactly 8,417,500 (V < K = 72,299,318.235: no residual).
# Staying: junior tier gets V - 12,375,000 = 56,838,057.117375 = 0.925 x 61,446,548.235,
# so every junior holder gets 92.5% of its preference; A: 0.925 x 9,100,000 = 8,417,500. Tie.
V = Fr("69213057.117375")
assert V - PREF["F"] == Fr("0.925") * J
CASES.append(pytest.param(
    V,
    full(F=12_375_000,
         **{s: Fr("0.925") * PREF[s]      # e.g. B: 0.925 x 1,430,000 = 1,322,750
            for s in ("A", "B", "C", "D", "E", "G1", "G2", "G3", "G4", "G5", "G6")}),
    (), 1, id="69.2M-A-indifferent"))

# ---- $70,000,000: inside the junior-tier shortfall, nobody converts.
# F 12,375,000; junior tier 57,625,000 shared in proportion to full preferences (J).
# A staying: 57,625,000 x 9,100,000 / 61,446,548.235 = 8,534,043.2 > 8,417,500 converting
# (V < K: converting leaves no residual) -> A-D stay.
# E converting: junior tier without E = 48,996,548.235 is paid in full, residual
# 8,628,451.765 over 23,059,700 shares -> E 1,122,530 < its 11,675,696.5 -> stays (G, F likewise).
_R = Fr(57_625_000)
CASES.append(pytest.param(
    Fr(70_000_000),
    full(F=12_375_000,
         **{s: _R * PREF[s] / J          # e.g. A: 57,625,000 x 9,100,000 / 61,446,548.235
            for s in ("A", "B", "C", "D", "E", "G1", "G2", "G3", "G4", "G5", "G6")}),
    (), 1, id="70M-junior-shortfall"))

# ---- Exactly the full stack $73,821,548.235: every preference in full, common 0.
# A converting: 8,417,500 + 9,100,000 x (73,821,548.235 - 72,299,318.235 = 1,522,230) / 37,614,700
#   = 8,785,765.1 < 9,100,000 -> A-D stay.
# E converting: its 12,450,000 preference becomes residual over 23,059,700 shares:
#   3,000,000 / 23,059,700 x 12,450,000 = 1,619,709 < 12,450,000 -> stays (likewise F, G).
CASES.append(pytest.param(
    STACK,
    full(**PREF),
    (), 1, id="stack-73.8M"))

# ---- $75,120,420.735: Series A indifferent at the top of the no-conversion zone.
# Staying: residual 75,120,420.735 - 73,821,548.235 = 1,298,872.5 over 23,059,700 shares
#   (A-D do not participate); A gets 9,100,000.
# Converting: residual 75,120,420.735 - 72,299,318.235 = 2,821,102.5 over 37,614,700 = $0.075 a share;
#   A: 8,417,500 + 9,100,000 x 0.075 = 9,100,000. Tie -> A-D keep the preferred.
V = Fr("75120420.735")
assert (V - K) / 37_614_700 == Fr("0.075")
_p = Fr("1298872.5") / 23_059_700
CASES.append(pytest.param(
    V,
    full(A=PREF["A"], B=PREF["B"], C=PREF["C"], D=PREF["D"],
         **converted_shares(_p, uncapped=("E", "F", "G1", "G2", "G3", "G4", "G5", "G6"))),
    # E: 12,450,000 + 3,000,000 x 1,298,872.5 / 23,059,700; common: 15,000,000 x 1,298,872.5 / 23,059,700
    (), 1, id="75.1M-A-indifferent"))

# ---- $76,000,000: A carries the class vote; B, C and D are outvoted and lose.
# A-D converted: residual 76,000,000 - 72,299,318.235 = 3,700,681.765 over 37,614,700 shares
#   p = 0.0983838... (no cap near: lowest cap room is G1's 3.218)
# A: 8,417,500 + 9,100,000 p = 9,312,793.7 > 9,100,000 (its preference; V > stack) -> convert.
# B: 1,325,000 + 1,000,000 p = 1,423,383.9 < 1,430,000 (its preference) - outvoted.
# C: 5,295,000 + 3,000,000 p = 5,590,151.8 < 5,730,000; D: 3,701,520 + 1,455,000 p = 3,844,668.6 < 4,001,250.
# E converting: residual + 12,450,000 = 16,150,681.765 over 37,614,700 -> 1,288,102 < 12,745,151.8 -> stays.
_p = Fr("3700681.765") / 37_614_700
CASES.append(pytest.param(
    Fr(76_000_000),
    full(**converted_shares(_p, conv=AD, uncapped=("E", "F", "G1", "G2", "G3", "G4", "G5", "G6"))),
    AD, 1, id="76M-AD-vote-outvotes-B-C-D"))

# ---- $100,000,000: A-D convert, no cap binds.
# Residual 100,000,000 - 72,299,318.235 = 27,700,681.765 over 37,614,700: p = 0.73642 (< 3.218).
# A: 8,417,500 + 9,100,000 p = 15,119,034 > 9,100,000. D: 3,701,520 + 1,455,000 p = 4,773,029 > 4,001,250.
# G1 converting: p' = (27,700,681.765 + 900,007.022) / 37,614,700 = 0.7604 -> 212,666 < 1,105,971.7 -> stays.
_p = Fr("27700681.765") / 37_614_700
CASES.append(pytest.param(
    Fr(100_000_000),
    full(**converted_shares(_p, conv=AD, uncapped=("E", "F", "G1", "G2", "G3", "G4", "G5", "G6"))),
    AD, 1, id="100M-AD-convert"))

# ---- $250,000,000: caps of G1 and F bind.
# Residual after cash and preferences: 250,000,000 - 72,299,318.235 = 177,700,681.765.
# Uncapped it would be 4.724 a share > G1's room 3.218 and F's room 4.125, so G1 and F stop
# at their caps: 177,700,681.765 - 900,007.022 - 6,187,500 = 170,613,174.743 over
# 37,614,700 - 279,679 - 1,500,000 = 35,835,021 shares: p = 4.76107 (< G2's room 4.827).
# G1 converting: (170,613,174.743 + 1,800,014.044) / (35,835,021 + 279,679) = 4.774 < 6.436 -> stays.
# F converting: (170,613,174.743 + 18,562,500) / 37,335,021 = 5.067 < 12.375 -> stays.
_p = Fr("170613174.743") / 35_835_021
CASES.append(pytest.param(
    Fr(250_000_000),
    full(**converted_shares(_p, conv=AD, capped=("F", "G1"),
                            uncapped=("E", "G2", "G3", "G4", "G5", "G6"))),
    # A: 8,417,500 + 9,100,000 p; F: 18,562,500; G1: 1,800,014.044; G2: 3,364,225.92 + 696,960 p ...
    AD, 1, id="250M-caps-G1-F"))

# ---- $300,000,000: caps of G1, F, G2, G3 bind; E just below its cap.
# Residual 227,700,681.765; less rooms 900,007.022 + 6,187,500 + 3,364,225.92 + 2,740,767.744
# = 13,192,500.686 -> 214,508,181.079 over 37,614,700 - 2,963,281 = 34,651,419 shares:
# p = 6.19046 (between G3's room 5.632 and E's room 6.225).
# G1 converting: (214,508,181.079 + 1,800,014.044) / 34,931,098 = 6.1924 < 6.436 -> stays.
# G2: (214,508,181.079 + 6,728,451.84) / 35,348,379 = 6.259 < 9.654; G3: 219,989,229.925 / 35,138,061 = 6.261 < 11.263.
# F: 233,070,681.079 / 36,151,419 = 6.447 < 12.375. E converting: 3,000,000 x (214,508,181.079 +
#   12,450,000) / 34,651,419 = 19,649,... < 12,450,000 + 3,000,000 p = 31,021,376 -> stays.
_p = Fr("214508181.079") / 34_651_419
CASES.append(pytest.param(
    Fr(300_000_000),
    full(**converted_shares(_p, conv=AD, capped=("F", "G1", "G2", "G3"),
                            uncapped=("E", "G4", "G5", "G6"))),
    AD, 1, id="300M-caps-G1-F-G2-G3"))

# ---- $350,000,000: G-1 has crossed over (its crossover is at about $307.9M) and converts.
# Cash 18,739,020; F 12,375,000; E, G2-G6 preferences 41,185,298.235 - 900,007.022 = 40,285,291.213.
# Residual 350,000,000 - 71,399,311.213 = 278,600,688.787.
# Capped: F 6,187,500, G2 3,364,225.92, G3 2,740,767.744, E 18,675,000 (total 30,967,493.664)
# -> 247,633,195.123 over 37,614,700 - 5,683,602 = 31,931,098 shares: p = 7.7553 (E room 6.225 < p < G6 room 8.334).
# G1 converted: 279,679 p = 2,168,976.6 > 1,800,014.044 (its cap if it stayed) -> converts.
# G2 converting: (247,633,195.123 + 6,728,451.84) / 32,628,058 = 7.796 < 9.654 -> stays.
# E converting: (247,633,195.123 + 31,125,000) / 34,931,098 = 7.980 < 10.375 -> stays.
# G3: 253,114,243.969 / 32,417,740 = 7.808 < 11.263; F: 266,195,695.123 / 33,431,098 = 7.962 < 12.375.
_p = Fr("247633195.123") / 31_931_098
CASES.append(pytest.param(
    Fr(350_000_000),
    full(**converted_shares(_p, conv=AD + ("G1",), capped=("E", "F", "G2", "G3"),
                            uncapped=("G4", "G5", "G6"))),
    AD + ("G1",), 1, id="350M-G1-converts"))

# ---- $450,000,000: E, G-1 and G-2 have converted; F, G3, G4, G6 at their caps.
# Cash 18,739,020; F 12,375,000; G3-G6 preferences 2,740,281.102 + 8,124,014.772 +
# 12,106,069.339 + 1,500,700.08 = 24,471,065.293. Residual 450,000,000 - 55,585,085.293 = 394,414,914.707.
# Capped: F 6,187,500, G3 2,740,767.744, G6 1,500,520.032, G4 8,124,014.772 (total 18,552,802.548)
# -> 375,862,112.159 over 37,614,700 - 3,008,208 = 34,606,492 shares: p = 10.8612
# (G4 room 9.654 < p < G5 room 11.263).
# E converted: 3,000,000 p = 32,583,087 > 31,125,000 (its cap) -> converts; G2: 696,960 p = 7,569,703 > 6,728,451.84.
# G3 converting: (375,862,112.159 + 5,481,048.846) / 35,093,134 = 10.8665 < 11.263 -> stays.
# F: 394,424,612.159 / 36,106,492 = 10.924 < 12.375; G4: 392,110,141.703 / 35,448,010 = 11.06 < 19.308;
# G6: 378,863,332.271 / 34,786,540 = 10.89 < 16.669 -> all stay.
_p = Fr("375862112.159") / 34_606_492
CASES.append(pytest.param(
    Fr(450_000_000),
    full(**converted_shares(_p, conv=AD + ("E", "G1", "G2"), capped=("F", "G3", "G4", "G6"),
                            uncapped=("G5",))),
    ("A", "B", "C", "D", "E", "G1", "G2"), 1, id="450M-E-G1-G2-convert"))

# ---- $1,000,000,000: everyone converts.
# Cash 18,739,020, then 981,260,980 over all 37,614,700 shares: p = 26.0871 > 22.526 (highest cap).
# G5 staying: (981,260,980 - 24,212,138.678) / 36,539,847 = 26.19 a share for the rest, so G5 would
# sit at its cap 24,212,138.678 < 1,074,853 p = 28,039,... -> converts; every lower cap likewise.
# A: 8,417,500 + 9,100,000 p >> 9,100,000.
_p = Fr(981_260_980) / 37_614_700
CASES.append(pytest.param(
    Fr(1_000_000_000),
    full(**converted_shares(_p, conv=("A", "B", "C", "D", "E", "F", "G1", "G2", "G3", "G4", "G5", "G6"))),
    ("A", "B", "C", "D", "E", "F", "G1", "G2", "G3", "G4", "G5", "G6"), 1, id="1B-all-convert"))


# --------------------------------------------------------------------------- tests

@pytest.fixture(scope="module")
def model():
    return load_model(MODEL_PATH)


def _solve(model, v):
    from charterverify.solver import solve_exit
    return solve_exit(model, v)


def _evaluate(model, v):
    from charterverify.evaluate import evaluate_exit
    return evaluate_exit(model, v)


PATHS = [pytest.param(_solve, id="z3"), pytest.param(_evaluate, id="direct")]


@pytest.mark.parametrize("run", PATHS)
@pytest.mark.parametrize("exit_value, expected, converted, equilibria", CASES)
def test_payouts(model, run, exit_value, expected, converted, equilibria):
    r = run(model, exit_value)
    assert {h: r.payouts.get(h) for h in HOLDERS} == expected
    assert sum(r.payouts.values()) == exit_value
    assert tuple(r.converted) == converted
    assert r.equilibria == equilibria
    assert r.unique_payouts is True


def test_expected_sums_to_exit_value():
    # The hand-worked payouts distribute exactly the exit value.
    for case in CASES:
        exit_value, expected, _conv, _n = case.values
        assert sum(expected.values()) == exit_value, case.id


def test_ad_vote_is_carried_by_series_a(model):
    """IV.B.3(a): a majority of A-D voting as one class; A holds 9,100,000 of 14,555,000 > 1/2,
    so the model's A-D unit is decided by Series A alone (Charter.vote_controller).

    Mutation that kills it (run): `Charter.vote_controller` returning None (no single carrier).
    """
    votes = [u for u in model.units() if u.kind == "class_vote"]
    assert [(u.members, u.controller) for u in votes] == [(AD, "A")]
    assert model.outstanding("A") == 9_100_000
    assert sum(model.outstanding(s) for s in AD) == 14_555_000


@pytest.mark.parametrize("run", PATHS)
def test_outvoted_series_b_drops_when_the_vote_flips(model, run):
    # Just at 75,120,420.735 A-D stay and B has its 1,430,000 preference; one cent higher A
    # converts and B gets 1,325,000 + 1,000,000 x (2,821,102.51 / 37,614,700) < 1,430,000.
    lo = run(model, Fr("75120420.735"))
    hi = run(model, Fr("75120420.745"))
    assert lo.payouts["B"] == Fr(1_430_000)
    assert hi.converted == AD
    assert hi.payouts["B"] == Fr(1_325_000) + Fr(1_000_000) * Fr("2821102.51") / 37_614_700
    assert hi.payouts["B"] < lo.payouts["B"]

"""TOML charter model -> validated, typed, frozen model.

Every error is a `ModelError` whose text is one line naming the file, the key and,
where known, the line. Money is `Fraction`; share counts are `int`.

    types.py     the frozen dataclasses every other module reads (`Charter`, `Series`, ...)
    load.py      TOML text -> `Charter` (`load_model`, `loads_model`), key by key
    fields.py    validators for one value: exact numbers, shares, identifiers, tables
    locate.py    which line of the TOML text states a key (for error messages and findings)
    messages.py  names and values as they appear in one-line errors
    exact.py     exact numbers as text (`format_exact`, `parse_exact`)
    memo.py      what was worked out for the last few models, found by identity (`ModelMemo`)
"""

from .exact import format_exact, parse_exact
from .fields import MAX_AMOUNT, MAX_PLACES
from .load import load_model, loads_model
from .types import (
    ANTI_DILUTION_COUNTS, ANTI_DILUTION_KINDS, ANTI_DILUTION_ROUNDING, CAP_DROPOUT_READINGS, CARVE_OUT,
    CASH_RANK_READINGS, CHARTER_ID_RE, COMMON, ID_RE, MAX_OPTION_POOLS, MAX_SERIES, MAX_SHARES,
    PARTICIPATION_KINDS, SHORTFALL_BASES, AntiDilution, AutomaticConversion, CapTable, Charter, ClassVote,
    Conversion, ConversionUnit, Exclusion, IpoRatchet, ModelError, ModelNumber, OptionPool, Participation,
    Preference, RatchetStep, Readings, Scenario, Series, Tier,
    DIVIDEND_COMPOUNDING, CatchUp, CommonClass, Redemption, SaleWaiver, Dividend, accrued_per_share, add_months, with_date,
)

__all__ = [
    "ANTI_DILUTION_COUNTS", "ANTI_DILUTION_KINDS", "ANTI_DILUTION_ROUNDING", "CAP_DROPOUT_READINGS", "CARVE_OUT",
    "CASH_RANK_READINGS", "CHARTER_ID_RE", "COMMON", "ID_RE", "MAX_OPTION_POOLS", "MAX_SERIES", "MAX_SHARES",
    "PARTICIPATION_KINDS", "SHORTFALL_BASES", "AntiDilution", "AutomaticConversion", "CapTable", "Charter",
    "ClassVote", "Conversion", "ConversionUnit", "Exclusion", "IpoRatchet", "ModelError", "ModelNumber",
    "OptionPool", "Participation", "Preference", "RatchetStep", "Readings", "Scenario", "Series", "Tier",
    "DIVIDEND_COMPOUNDING", "CatchUp", "CommonClass", "Redemption", "SaleWaiver", "Dividend", "accrued_per_share", "add_months", "with_date",
    "MAX_AMOUNT", "MAX_PLACES", "format_exact", "load_model", "loads_model", "parse_exact",
]

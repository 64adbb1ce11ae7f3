"""charterverify: prove or refute a charter's liquidation and conversion economics with z3."""

__version__ = "0.1.0"

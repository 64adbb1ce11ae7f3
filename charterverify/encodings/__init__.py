"""z3 encodings of a charter's clauses, one module per clause kind; each constraint names its clause."""

from .base import Q, Sink
from .waterfall import encode_waterfall

__all__ = ["Q", "Sink", "encode_waterfall"]

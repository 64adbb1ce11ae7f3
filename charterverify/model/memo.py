"""What was worked out for the last few models, found by the model's identity.

A `Charter` is frozen once loaded, and the same object is asked about again and again in one run
(its conversion votes, its pools, its per-block constants, each reading's effect). Comparing or
hashing two models costs more than much of what is remembered, so a model is found by `is`; only
the last `keep` are held, so a long run (a test session, `verify` over many charters) stays small.
"""

from __future__ import annotations

from typing import Any, Callable, Hashable


class ModelMemo:
    def __init__(self, keep: int = 8):
        self.keep = keep
        self.items: list[tuple[Any, Hashable, Any]] = []

    def get(self, model, make: Callable[[], Any], key: Hashable = None):
        """The value remembered for (model, key), or `make()` remembered for next time."""
        for m, k, v in self.items:
            if m is model and k == key:
                return v
        v = make()
        self.items[:] = [(model, key, v)] + self.items[: self.keep - 1]
        return v

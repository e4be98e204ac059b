"""Which arm, and so which version, serves a request.

A request's key (the shopper id, or a request id when there is none) hashes
to one of 10,000 buckets. The canary takes the lowest buckets and the control
arm, on stable and of the same size, the highest, so both only grow as the
canary widens: a shopper in the canary at 5 % stays in it at 25 %, and every
bucket outside both is plain stable traffic. Arms are per model: the hash is
salted with the model's name so one shopper is not in every canary at once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

BUCKETS = 10_000
CANARY, CONTROL, STABLE = "canary", "control", "stable"
SHADOW = "shadow"  # scored beside stable, never answers


def bucket(key: str, salt: str = "") -> int:
    digest = hashlib.blake2b(f"{salt}/{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % BUCKETS


@dataclass(frozen=True)
class Split:
    """A model's routing: what ``routing.json`` says."""

    stable: str | None
    canary: str | None = None
    canary_percent: float = 0.0
    shadow: str | None = None

    @classmethod
    def from_routing(cls, routing: dict) -> Split:
        return cls(routing.get("stable"), routing.get("canary"), float(routing.get("canary_percent") or 0),
                   routing.get("shadow"))

    @property
    def canary_buckets(self) -> int:
        return round(BUCKETS * self.canary_percent / 100) if self.canary else 0

    @property
    def control_buckets(self) -> int:
        return min(self.canary_buckets, BUCKETS - self.canary_buckets)

    def arm(self, key: str, model: str) -> tuple[str, str | None]:
        """(arm, version) for this key."""
        b = bucket(key, model)
        if b < self.canary_buckets:
            return CANARY, self.canary
        if b >= BUCKETS - self.control_buckets:
            return CONTROL, self.stable
        return STABLE, self.stable

    @property
    def candidate(self) -> str | None:
        """The version being evaluated without answering (shadow), or beside stable (canary)."""
        return self.canary or self.shadow

    def resident(self) -> list[str]:
        """Versions a replica must hold: stable, and the canary and shadow (loaded before they take traffic)."""
        return [v for v in dict.fromkeys((self.stable, self.canary, self.shadow)) if v]

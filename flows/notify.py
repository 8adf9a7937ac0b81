"""Deliver alerts not yet sent (interface used by flows/nightly.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fazhi.config import Config


@dataclass
class DeliverySummary:
    sent: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)


def deliver_pending(db: Path, cfg: Config) -> DeliverySummary:
    return DeliverySummary()

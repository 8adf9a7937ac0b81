"""Prefect settings this project needs, applied before Prefect is imported (users may still override)."""
from __future__ import annotations

import os

DEFAULTS = {
    # no network here: without this every run logs an ERROR about telemetry
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # the first start on a new PREFECT_HOME migrates its database for ~20 s
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "60",
}


def apply() -> None:
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)

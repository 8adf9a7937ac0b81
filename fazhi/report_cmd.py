"""`fazhi report [--out DIR]`: the static HTML dashboard, written from a read-only connection."""
from __future__ import annotations

from pathlib import Path

from fazhi.charts import ChartStyle
from fazhi.config import Config
from fazhi.dashboard.build import build_dashboard
from fazhi.display import office_timezone
from fazhi.review_cmd import require_review_schema, review_items
from warehouse import analysis
from warehouse.db import connect_reader


def run_report(cfg: Config, out_dir: Path) -> Path:
    """Build the dashboard into out_dir and return its index.html."""
    con = connect_reader(cfg.db)
    try:
        analysis.require_views(con, cfg.db)
        require_review_schema(con, cfg)
        return build_dashboard(con, out_dir, ChartStyle.from_config(cfg.section("charts")),
                               review=review_items(con, cfg), tz=office_timezone(cfg))
    finally:
        con.close()

"""Read-only queries for `fazhi review` and the dashboard's 待处理 page: everything waiting for a person.

Each function returns plain dict rows; fazhi/review_cmd.py turns them into items with the command that
settles each one."""
from __future__ import annotations

from typing import Any

import duckdb


def _dicts(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict[str, Any]]:
    rel = con.execute(sql, params or [])
    cols = [d[0] for d in rel.description]
    return [dict(zip(cols, row)) for row in rel.fetchall()]


def held_files(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Contents (sha256) whose latest state is quarantined or needs_review, never loaded, not ignored;
    with the override already given, if any (it waits for the next run)."""
    return _dicts(con, """
        WITH latest AS (
            SELECT sha256, arg_max(path, seen_at) AS path, arg_max(status, seen_at) AS status,
                   arg_max(reason_code, seen_at) AS reason_code, arg_max(reason, seen_at) AS reason,
                   arg_max(candidates, seen_at) AS candidates, max(seen_at) AS at,
                   bool_or(status = 'loaded') AS ever_loaded
            FROM ingest_files WHERE status <> 'duplicate' GROUP BY sha256
        )
        SELECT l.*, o.township AS o_township, o.county AS o_county, o.year AS o_year, o.created_by AS o_by,
               (SELECT count(*) FROM pending_metrics p WHERE p.sha256 = l.sha256 AND NOT p.is_plan) AS figures_kept
        FROM latest l LEFT JOIN overrides o USING (sha256)
        WHERE l.status IN ('quarantined', 'needs_review') AND NOT l.ever_loaded AND NOT coalesce(o.ignore, false)
        ORDER BY l.at DESC""")


def reports_without_county(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return _dicts(con, """
        SELECT report_id, sha256, path, file_name, township, year, loaded_at AS at FROM reports
        WHERE is_current AND county IS NULL ORDER BY loaded_at DESC""")


def missing_required(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Required figures a current report does not state (nor a correction supplies), unless acknowledged."""
    return _dicts(con, """
        SELECT c.county, c.township, c.year, c.metric, c.label, c.report_id, c.file_name, r.loaded_at AS at,
               a.alert_id
        FROM v_completeness c JOIN reports r USING (report_id)
        LEFT JOIN v_alerts a ON a.kind = 'missing_figure' AND a.metric = c.metric AND a.township = c.township
             AND a.year = c.year AND a.county IS NOT DISTINCT FROM c.county
        WHERE c.status = 'missing' AND coalesce(a.state, 'open') = 'open'
        ORDER BY r.loaded_at DESC, c.township, c.ordinal""")


def rejected_figures(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Figures of current reports the quality gate refused, unless a correction or an ack settled them."""
    return _dicts(con, """
        SELECT r.county, r.township, r.year, x.metric, coalesce(k.label, x.metric) AS label, x.value, x.unit,
               x.expectation, x.evidence, r.report_id, r.file_name, r.loaded_at AS at, a.alert_id
        FROM rejected_metrics x JOIN reports r USING (report_id)
        LEFT JOIN metric_catalog k ON k.metric = x.metric
        LEFT JOIN v_alerts a ON a.kind = 'dq_failure' AND a.report_id = x.report_id AND a.metric = x.metric
        WHERE r.is_current AND NOT coalesce(x.is_plan, false)
          AND NOT EXISTS (SELECT 1 FROM v_corrections c WHERE c.report_id = x.report_id AND c.metric = x.metric)
          AND coalesce(a.state, 'open') = 'open'
        ORDER BY r.loaded_at DESC, r.township, x.metric""")


def extracted_figures(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Extracted (uncorrected) figures of current reports, with the township's values of its other years."""
    return _dicts(con, """
        SELECT f.county, f.township, f.year, f.metric, f.label, f.value, f.unit, f.evidence, m.parts,
               f.report_id, f.file_name, r.loaded_at AS at, f.ordinal,
               list(o.value) FILTER (WHERE o.value IS NOT NULL) AS other_years
        FROM v_figures f
        JOIN reports r ON r.report_id = f.report_id
        JOIN metrics m ON m.report_id = f.report_id AND m.metric = f.metric AND NOT m.is_plan
        LEFT JOIN v_figures o ON o.township = f.township AND o.county IS NOT DISTINCT FROM f.county
             AND o.metric = f.metric AND o.year <> f.year
        WHERE f.source = 'extracted'
        GROUP BY ALL
        ORDER BY r.loaded_at DESC, f.township, f.ordinal""")


def orphaned_corrections(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Corrections of a report a newer version replaced, that the new report has not settled: the new
    extraction differs and no correction of the new report for that metric exists."""
    return _dicts(con, """
        SELECT n.county, n.township, n.year, c.metric, coalesce(k.label, c.metric) AS label,
               c.new_value AS corrected_value, c.removed, c.note, c.created_by, o.report_id AS old_report_id,
               n.report_id, n.file_name, m.value AS new_value, n.loaded_at AS at
        FROM v_corrections c
        JOIN reports o ON o.report_id = c.report_id AND NOT o.is_current
        JOIN reports n ON n.is_current AND n.township = o.township AND n.year = o.year
             AND n.county IS NOT DISTINCT FROM o.county
        LEFT JOIN metrics m ON m.report_id = n.report_id AND m.metric = c.metric AND NOT m.is_plan
        LEFT JOIN metric_catalog k ON k.metric = c.metric
        WHERE NOT EXISTS (SELECT 1 FROM corrections c2 WHERE c2.report_id = n.report_id AND c2.metric = c.metric)
          AND (CASE WHEN c.removed THEN m.value IS NOT NULL ELSE m.value IS DISTINCT FROM c.new_value END)
        ORDER BY n.loaded_at DESC""")

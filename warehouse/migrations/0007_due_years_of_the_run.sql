-- 0007: v_completeness counts the years the last run judged due, instead of judging them again in SQL
-- against the clock of whoever queries. The run computes them with the one rule the missing_report alerts
-- use (transforms/alerts.py due_years) at its own clock, so the view and the alerts agree on every date
-- (1 January and 31 December included), and a test can pin the clock.
-- Released: never edit, add a new numbered file instead.

-- one row, rewritten by every run that loads (warehouse/catalog_sync.py sync_due_years); no row: no run
-- has judged yet, and every year with reports counts
CREATE TABLE roster_due (
    as_of TIMESTAMPTZ NOT NULL,   -- the run's clock the years were judged at
    years INTEGER[] NOT NULL      -- the report years a rostered township owes as of then
);

-- A warehouse a run refreshed under 0006 is judged once here, as 0006's view judged it at this moment, so the
-- view does not change meaning between the upgrade and the next run (which judges again at its own clock).
INSERT INTO roster_due
WITH local_now AS (
    SELECT year(timezone(d.timezone, now())) AS this_year,
           strftime(timezone(d.timezone, now()), '%m-%d') > d.deadline AS passed
    FROM roster_deadline d
),
due AS (
    SELECT CASE WHEN passed THEN this_year - 1 ELSE this_year - 2 END AS through,
           CASE WHEN passed THEN this_year - 1 END AS last_due
    FROM local_now
),
judged AS (
    SELECT DISTINCT r.year FROM reports r, due WHERE r.is_current AND r.year <= due.through
    UNION
    SELECT last_due FROM due WHERE last_due IS NOT NULL
)
SELECT now(), coalesce((SELECT list(year ORDER BY year) FROM judged), [])
FROM roster_deadline;

-- Township x year x required metric: present | missing | no_report, counting corrected figures.
-- A year is due for a rostered township when the last run judged it so (roster_due), or when a
-- missing_report alert names it.
CREATE OR REPLACE VIEW v_completeness AS
WITH required AS (
    SELECT metric, label, ordinal FROM metric_catalog WHERE required
),
current_reports AS (
    SELECT report_id, file_name, county, township, year FROM reports WHERE is_current
),
report_rows AS (
    SELECT r.county, r.township, r.year, q.metric, q.label, q.ordinal,
           CASE WHEN f.report_id IS NULL THEN 'missing' ELSE 'present' END AS status,
           f.value, r.report_id, r.file_name
    FROM current_reports r
    CROSS JOIN required q
    LEFT JOIN v_figures f ON f.report_id = r.report_id AND f.metric = q.metric
),
due_years AS (
    SELECT DISTINCT unnest(years) AS year FROM roster_due
    UNION
    SELECT DISTINCT year FROM current_reports WHERE NOT EXISTS (SELECT 1 FROM roster_due)
    UNION
    SELECT DISTINCT year FROM alerts WHERE kind = 'missing_report'
),
roster_gaps AS (
    SELECT ro.county, ro.township, y.year
    FROM roster ro
    CROSS JOIN due_years y
    WHERE y.year IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM current_reports r
        WHERE r.township = ro.township AND coalesce(r.county, ro.county) = ro.county AND r.year = y.year)
)
SELECT county, township, year, metric, label, ordinal, status, status = 'present' AS present,
       value, report_id, file_name
FROM report_rows
UNION ALL
SELECT g.county, g.township, g.year, q.metric, q.label, q.ordinal, 'no_report', false,
       NULL, NULL, NULL
FROM roster_gaps g CROSS JOIN required q;

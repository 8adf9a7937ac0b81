-- 0002: reference tables the load refreshes each run, and the views of county-wide analysis.
-- Every view reads CURRENT reports (reports.is_current) and the year's figures (metrics.is_plan = false):
-- a superseded report or a plan target never counts.

-- The metric catalog as the warehouse knows it: rewritten from metrics.toml + fazhi.toml [required] by
-- every load (warehouse/catalog_sync.py), so labels and the required set follow the files.
CREATE TABLE metric_catalog (
    metric   VARCHAR PRIMARY KEY,   -- catalog key
    label    VARCHAR NOT NULL,      -- 中文 label
    unit     VARCHAR,
    category VARCHAR,
    required BOOLEAN NOT NULL,      -- listed in fazhi.toml [required] metrics
    ordinal  INTEGER NOT NULL       -- position in the catalog file: the order of columns and charts
);

-- The townships each county expects a report from: rewritten from fazhi.toml [roster.counties] by every load.
CREATE TABLE roster (
    county   VARCHAR NOT NULL,
    township VARCHAR NOT NULL,
    PRIMARY KEY (county, township)
);

-- One row per figure of a current report: township, year, metric with its 中文 label, value, evidence.
CREATE VIEW v_figures AS
SELECT r.county, r.township, r.year, m.metric,
       coalesce(c.label, m.metric) AS label,
       m.value, coalesce(m.unit, c.unit) AS unit, m.qualifier,
       m.evidence, m.start_offset, m.end_offset, m.section,
       r.report_id, r.file_name, c.category, c.ordinal
FROM metrics m
JOIN reports r ON r.report_id = m.report_id
LEFT JOIN metric_catalog c ON c.metric = m.metric
WHERE r.is_current AND NOT m.is_plan;

-- One row per township and year, a column per catalog metric. A view is static SQL and a PIVOT whose
-- columns come from the data cannot be stored in a view, so warehouse/catalog_sync.py regenerates this
-- view (conditional aggregation, one column per catalog key) whenever it refreshes metric_catalog.
-- This first version, before any load, has no metric columns.
CREATE VIEW v_township_year AS
SELECT r.county, r.township, r.year, r.report_id, r.file_name,
       count(m.metric) AS figures
FROM reports r
LEFT JOIN metrics m ON m.report_id = r.report_id AND NOT m.is_plan
WHERE r.is_current
GROUP BY r.county, r.township, r.year, r.report_id, r.file_name;

-- County x metric x year. `total` is left empty for a percentage (a sum of rates means nothing).
CREATE VIEW v_trends AS
SELECT county, metric, any_value(label) AS label, any_value(unit) AS unit, year,
       CASE WHEN any_value(unit) = '%' THEN NULL ELSE sum(value) END AS total,
       count(DISTINCT township) AS townships_reporting,
       median(value) AS median,
       min(value) AS min,
       max(value) AS max
FROM v_figures
GROUP BY county, metric, year;

-- Township x metric x year against the year before (empty when that year has no current report or no figure).
CREATE VIEW v_yoy AS
SELECT f.county, f.township, f.metric, f.label, f.unit, f.year, f.value,
       p.year AS prev_year, p.value AS prev_value,
       f.value - p.value AS change,
       CASE WHEN p.value <> 0 THEN round(100 * (f.value - p.value) / p.value, 1) END AS pct_change,
       f.report_id
FROM v_figures f
LEFT JOIN v_figures p
       ON p.township = f.township AND p.county IS NOT DISTINCT FROM f.county
      AND p.metric = f.metric AND p.year = f.year - 1;

-- Township x year x required metric: present | missing (the report leaves it out) | no_report (a roster
-- township sent no report for a year the county has reports for).
CREATE VIEW v_completeness AS
WITH required AS (
    SELECT metric, label, ordinal FROM metric_catalog WHERE required
),
current_reports AS (
    SELECT report_id, file_name, county, township, year FROM reports WHERE is_current
),
report_rows AS (
    SELECT r.county, r.township, r.year, q.metric, q.label, q.ordinal,
           CASE WHEN m.report_id IS NULL THEN 'missing' ELSE 'present' END AS status,
           m.value, r.report_id, r.file_name
    FROM current_reports r
    CROSS JOIN required q
    LEFT JOIN metrics m ON m.report_id = r.report_id AND m.metric = q.metric AND NOT m.is_plan
),
roster_gaps AS (
    SELECT ro.county, ro.township, y.year
    FROM roster ro
    CROSS JOIN (SELECT DISTINCT year FROM current_reports) y
    WHERE NOT EXISTS (
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

-- The latest run, how long it took, and when a run last completed.
CREATE VIEW v_last_run AS
SELECT r.*,
       epoch(r.finished_at - r.started_at) AS duration_s,
       (SELECT max(finished_at) FROM runs WHERE status = 'completed') AS last_completed_at,
       (SELECT count(*) FROM reports WHERE is_current) AS current_reports
FROM runs r
ORDER BY r.started_at DESC
LIMIT 1;

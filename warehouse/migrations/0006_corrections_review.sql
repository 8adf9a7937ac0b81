-- 0006: the office's own hand on the data. Corrections of figures (`fazhi correct`), acknowledgements of
-- alerts (`fazhi alerts --ack`), and the views that show a corrected figure in place of the extracted one
-- and give every alert a life (open / resolved / acked) apart from its delivery (pending / logged / sent / failed).
-- Released: never edit, add a new numbered file instead.

-- every correction ever typed, never updated: the latest per (report, metric) is the one in force
CREATE TABLE corrections (
    correction_id VARCHAR PRIMARY KEY,        -- short random id
    report_id     VARCHAR NOT NULL,
    metric        VARCHAR NOT NULL,           -- catalog key
    old_value     DOUBLE,                     -- the value the views showed before (NULL: there was none)
    new_value     DOUBLE,                     -- NULL when the figure is removed
    qualifier     VARCHAR,                    -- exact | approx | at_least | at_most
    removed       BOOLEAN NOT NULL DEFAULT false,  -- the extracted figure is wrong and there is no right one
    note          VARCHAR,
    created_by    VARCHAR NOT NULL,           -- the OS user who typed it
    created_at    TIMESTAMPTZ NOT NULL
);

-- an alert someone has seen and decided needs nothing more (`fazhi alerts --ack ID`)
CREATE TABLE alert_acks (
    alert_id VARCHAR PRIMARY KEY,
    note     VARCHAR,
    acked_by VARCHAR NOT NULL,
    acked_at TIMESTAMPTZ NOT NULL
);

-- fazhi.toml [roster] deadline and timezone, rewritten by every load: v_completeness counts a year as due
-- for a rostered township as the missing_report alerts do (transforms/alerts.py due_years)
CREATE TABLE roster_deadline (
    deadline VARCHAR NOT NULL,   -- "MM-DD", local day in `timezone` after which last year's report is overdue
    timezone VARCHAR NOT NULL
);

-- the correction in force for each (report, metric)
CREATE VIEW v_corrections AS
SELECT * FROM corrections
QUALIFY row_number() OVER (PARTITION BY report_id, metric ORDER BY created_at DESC, correction_id DESC) = 1;

-- One row per figure of a current report; a corrected figure shows its corrected value, source = 'corrected'
-- (the extracted value stays in `metrics` and in extracted_value); a removed figure is not shown.
CREATE OR REPLACE VIEW v_figures AS
WITH current_reports AS (
    SELECT * FROM reports WHERE is_current
),
extracted AS (
    SELECT m.* FROM metrics m WHERE NOT m.is_plan AND m.report_id IN (SELECT report_id FROM current_reports)
),
corrected AS (
    SELECT c.* FROM v_corrections c WHERE c.report_id IN (SELECT report_id FROM current_reports)
),
merged AS (
    SELECT coalesce(e.report_id, c.report_id) AS report_id, coalesce(e.metric, c.metric) AS metric,
           CASE WHEN c.report_id IS NULL THEN e.value ELSE c.new_value END AS value,
           CASE WHEN c.report_id IS NULL THEN e.qualifier ELSE coalesce(c.qualifier, 'exact') END AS qualifier,
           e.unit, e.evidence, e.start_offset, e.end_offset, e.section,
           CASE WHEN c.report_id IS NULL THEN 'extracted' ELSE 'corrected' END AS source,
           e.value AS extracted_value, c.note AS correction_note, coalesce(c.removed, false) AS removed
    FROM extracted e FULL OUTER JOIN corrected c ON c.report_id = e.report_id AND c.metric = e.metric
)
SELECT r.county, r.township, r.year, m.metric,
       coalesce(k.label, m.metric) AS label,
       m.value, coalesce(m.unit, k.unit) AS unit, m.qualifier,
       m.evidence, m.start_offset, m.end_offset, m.section,
       r.report_id, r.file_name, k.category, k.ordinal,
       m.source, m.extracted_value, m.correction_note
FROM merged m
JOIN current_reports r ON r.report_id = m.report_id
LEFT JOIN metric_catalog k ON k.metric = m.metric
WHERE NOT m.removed;

-- Township x year x required metric: present | missing | no_report, now counting corrected figures.
-- A year is due for a rostered township as for the missing_report alerts: last year once the [roster]
-- deadline has passed, and each earlier year the county holds reports for. Without a deadline recorded
-- (a warehouse no run has refreshed), every year with reports counts.
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
local_now AS (
    SELECT deadline, year(timezone(d.timezone, now())) AS this_year,
           strftime(timezone(d.timezone, now()), '%m-%d') > d.deadline AS passed
    FROM roster_deadline d
),
due AS (   -- NULL bounds: no deadline recorded
    SELECT max(CASE WHEN passed THEN this_year - 1 ELSE this_year - 2 END) AS through,
           max(CASE WHEN passed THEN this_year - 1 END) AS last_due
    FROM local_now
),
due_years AS (
    SELECT DISTINCT r.year FROM current_reports r, due WHERE r.year <= coalesce(due.through, r.year)
    UNION
    SELECT last_due FROM due WHERE last_due IS NOT NULL
    UNION
    SELECT DISTINCT year FROM alerts WHERE kind = 'missing_report'
),
roster_gaps AS (
    SELECT ro.county, ro.township, y.year
    FROM roster ro
    CROSS JOIN due_years y
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

-- Every alert with its life and its delivery.
--   state: open | resolved | acked.  An alert about a figure is resolved when the current data has the
--   figure (corrected by the office, or supplied by a later file); a missing report when a report for that
--   township and year is loaded; a file held for review (needs_review) when it is loaded or ignored.
--   delivery: sent (reached people on some channel) | failed (the last try on a channel failed) |
--   logged (only written to the run log: no channel to people) | pending (not tried yet).
CREATE VIEW v_alerts AS
WITH people AS (
    SELECT alert_id, channel, arg_max(status, attempted_at) AS status, arg_max(error, attempted_at) AS error
    FROM alert_deliveries WHERE channel <> 'console' GROUP BY alert_id, channel
),
delivery AS (
    SELECT alert_id, string_agg(channel || ':' || status, ' ' ORDER BY channel) AS channels,
           bool_or(status = 'failed') AS any_failed, max(error) AS last_error
    FROM people GROUP BY alert_id
),
logged AS (
    SELECT DISTINCT alert_id FROM alert_deliveries WHERE channel = 'console'
),
figure_now AS (
    SELECT f.county, f.township, f.year, f.metric, f.source, f.report_id,
           coalesce(c.created_at, r.loaded_at) AS since
    FROM v_figures f
    JOIN reports r ON r.report_id = f.report_id
    LEFT JOIN v_corrections c ON c.report_id = f.report_id AND c.metric = f.metric AND f.source = 'corrected'
),
report_now AS (
    SELECT county, township, year, min(loaded_at) AS since FROM reports GROUP BY ALL
),
held_file AS (   -- an alert about a file held for review names its content: alert_id = hash(kind|county|township|year|sha256)
    SELECT a.alert_id, i.sha256
    FROM alerts a JOIN (SELECT DISTINCT sha256 FROM ingest_files) i
      ON a.kind NOT IN ('missing_figure', 'dq_failure', 'missing_report') AND a.alert_id = substr(sha256(
         a.kind || '|' || coalesce(a.county, '') || '|' || a.township || '|' || coalesce(CAST(a.year AS VARCHAR), '')
         || '|' || i.sha256), 1, 20)
),
file_now AS (   -- such a file settled: loaded (its metadata found or supplied) or ignored by a person
    SELECT h.alert_id, CASE WHEN o.ignore THEN 'ignored' ELSE 'loaded' END AS why,
           CASE WHEN o.ignore THEN o.created_at ELSE l.since END AS since
    FROM held_file h
    LEFT JOIN (SELECT sha256, min(seen_at) AS since FROM ingest_files WHERE status = 'loaded' GROUP BY ALL) l
           ON l.sha256 = h.sha256
    LEFT JOIN overrides o ON o.sha256 = h.sha256
    WHERE l.sha256 IS NOT NULL OR coalesce(o.ignore, false)
),
life AS (
    SELECT a.alert_id,
           CASE
             WHEN k.alert_id IS NOT NULL THEN 'acked'
             WHEN a.kind IN ('missing_figure', 'dq_failure') AND fn.source = 'corrected' THEN 'corrected'
             WHEN a.kind IN ('missing_figure', 'dq_failure') AND fn.report_id IS NOT NULL
                  AND fn.report_id IS DISTINCT FROM a.report_id THEN 'later_file'
             WHEN a.kind = 'missing_report' AND rn.since IS NOT NULL THEN 'report_received'
             WHEN a.kind NOT IN ('missing_figure', 'dq_failure', 'missing_report') AND fl.why = 'loaded' THEN 'loaded'
             WHEN a.kind NOT IN ('missing_figure', 'dq_failure', 'missing_report') AND fl.why = 'ignored' THEN 'ignored'
           END AS resolution,
           CASE
             WHEN k.alert_id IS NOT NULL THEN k.acked_at
             WHEN a.kind IN ('missing_figure', 'dq_failure') THEN fn.since
             WHEN a.kind = 'missing_report' THEN rn.since
             ELSE fl.since
           END AS settled_at
    FROM alerts a
    LEFT JOIN alert_acks k ON k.alert_id = a.alert_id
    LEFT JOIN figure_now fn ON a.kind IN ('missing_figure', 'dq_failure') AND fn.metric = a.metric
         AND fn.township = a.township AND fn.year = a.year AND fn.county IS NOT DISTINCT FROM a.county
    LEFT JOIN report_now rn ON a.kind = 'missing_report' AND rn.township = a.township AND rn.year = a.year
         AND coalesce(rn.county, a.county) IS NOT DISTINCT FROM a.county
    LEFT JOIN file_now fl ON fl.alert_id = a.alert_id
)
SELECT a.alert_id, a.report_id, a.township, a.county, a.year, a.kind, a.metric, a.detail, a.file_name,
       a.run_id, a.created_at,
       CASE WHEN l.resolution IS NULL THEN 'open' WHEN l.resolution = 'acked' THEN 'acked' ELSE 'resolved' END AS state,
       CASE WHEN l.resolution IS NULL THEN NULL ELSE l.resolution END AS resolution,
       CASE WHEN l.resolution IS NULL THEN NULL ELSE l.settled_at END AS resolved_at,
       k.acked_by, k.note AS ack_note,
       CASE WHEN d.any_failed THEN 'failed'
            WHEN a.sent_at IS NOT NULL THEN 'sent'
            WHEN g.alert_id IS NOT NULL THEN 'logged'
            ELSE 'pending' END AS delivery,
       a.sent_at, d.channels, d.last_error
FROM alerts a
JOIN life l ON l.alert_id = a.alert_id
LEFT JOIN alert_acks k ON k.alert_id = a.alert_id
LEFT JOIN delivery d ON d.alert_id = a.alert_id
LEFT JOIN logged g ON g.alert_id = a.alert_id;

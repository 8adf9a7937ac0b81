-- 0001: the core tables of the warehouse. Released: never edit, add a new numbered file instead.

CREATE TABLE runs (
    run_id            VARCHAR PRIMARY KEY,   -- uuid of one nightly-ingest run
    flow_run_id       VARCHAR,               -- the Prefect flow run it was
    started_at        TIMESTAMPTZ NOT NULL,
    finished_at       TIMESTAMPTZ,
    status            VARCHAR NOT NULL,      -- completed | failed
    inbox             VARCHAR,
    files_seen        INTEGER,
    files_new         INTEGER,
    files_duplicate   INTEGER,
    files_quarantined INTEGER,
    reports_loaded    INTEGER,
    reports_superseded INTEGER,
    figures_loaded    INTEGER,
    figures_rejected  INTEGER,
    alerts_raised     INTEGER,
    error             VARCHAR
);

CREATE TABLE ingest_files (
    path        VARCHAR NOT NULL,   -- relative to the inbox
    sha256      VARCHAR NOT NULL,
    size_bytes  BIGINT,
    status      VARCHAR NOT NULL,   -- loaded | duplicate | superseded | quarantined
    reason_code VARCHAR,            -- for quarantined: empty, binary, no_township, ...
    reason      VARCHAR,            -- what was wrong and what to do
    report_id   VARCHAR,            -- the report this file is (or duplicates)
    run_id      VARCHAR NOT NULL,
    seen_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (path, sha256)
);

CREATE TABLE reports (
    report_id     VARCHAR PRIMARY KEY,  -- first 16 hex digits of the file's sha256
    file_name     VARCHAR NOT NULL,
    path          VARCHAR NOT NULL,
    sha256        VARCHAR NOT NULL UNIQUE,
    township      VARCHAR NOT NULL,
    county        VARCHAR,
    city          VARCHAR,
    year          INTEGER NOT NULL,
    county_source VARCHAR,              -- text | folder | roster
    is_current    BOOLEAN NOT NULL,
    superseded_by VARCHAR,
    superseded_at TIMESTAMPTZ,
    text_chars    INTEGER,
    run_id        VARCHAR NOT NULL,
    loaded_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE report_texts (
    report_id VARCHAR PRIMARY KEY,
    text      VARCHAR NOT NULL           -- the normalized text evidence offsets point into
);

CREATE TABLE sections (
    report_id    VARCHAR NOT NULL,
    seq          INTEGER NOT NULL,
    kind         VARCHAR NOT NULL,       -- preamble | achievements | duties | problems | plans | review | other
    title        VARCHAR,
    start_offset INTEGER,
    end_offset   INTEGER,
    PRIMARY KEY (report_id, seq)
);

CREATE TABLE metrics (
    report_id    VARCHAR NOT NULL,
    metric       VARCHAR NOT NULL,       -- catalog key
    value        DOUBLE NOT NULL,
    unit         VARCHAR,
    qualifier    VARCHAR NOT NULL,       -- exact | approx | at_least | at_most
    is_plan      BOOLEAN NOT NULL,       -- a target of the plan section, never the year's figure
    evidence     VARCHAR NOT NULL,       -- the sentence the figure came from
    start_offset INTEGER NOT NULL,       -- offsets of the evidence in report_texts.text
    end_offset   INTEGER NOT NULL,
    section      VARCHAR,
    parts        VARCHAR,                -- JSON list of the summed parts, when several
    run_id       VARCHAR NOT NULL,
    PRIMARY KEY (report_id, metric, is_plan)
);

CREATE TABLE rejected_metrics (
    report_id    VARCHAR NOT NULL,
    metric       VARCHAR NOT NULL,
    value        DOUBLE,
    unit         VARCHAR,
    qualifier    VARCHAR,
    is_plan      BOOLEAN,
    evidence     VARCHAR,
    start_offset INTEGER,
    end_offset   INTEGER,
    expectation  VARCHAR NOT NULL,       -- the data-quality expectation that failed
    run_id       VARCHAR NOT NULL
);

CREATE TABLE dq_results (
    run_id           VARCHAR NOT NULL,
    suite            VARCHAR NOT NULL,
    expectation      VARCHAR NOT NULL,
    column_name      VARCHAR,
    success          BOOLEAN NOT NULL,
    element_count    BIGINT,
    unexpected_count BIGINT,
    sample           VARCHAR,            -- JSON: a few unexpected values
    evaluated_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE alerts (
    alert_id   VARCHAR PRIMARY KEY,      -- stable hash of (kind, county, township, year, metric): never raised twice
    report_id  VARCHAR,
    township   VARCHAR NOT NULL,
    county     VARCHAR,
    year       INTEGER,
    kind       VARCHAR NOT NULL,         -- missing_figure | dq_failure | missing_report
    metric     VARCHAR,
    detail     VARCHAR,
    file_name  VARCHAR,
    run_id     VARCHAR NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    sent_at    TIMESTAMPTZ,              -- first successful delivery on any channel
    channel    VARCHAR                   -- channels it reached, comma separated
);

CREATE TABLE alert_deliveries (
    alert_id     VARCHAR NOT NULL,
    channel      VARCHAR NOT NULL,       -- email | webhook
    status       VARCHAR NOT NULL,       -- sent | failed
    attempted_at TIMESTAMPTZ NOT NULL,
    error        VARCHAR
);

-- 0004: where each report's metadata came from, files kept for review, and the operator's overrides.
-- Released: never edit, add a new numbered file instead.

-- where the township and the year were found: text | file_name | folder | roster | override
ALTER TABLE reports ADD COLUMN township_source VARCHAR;
ALTER TABLE reports ADD COLUMN year_source VARCHAR;

-- ingest_files.status gains 'needs_review': read and extracted, but its township or year could not be settled;
-- its figures wait in pending_metrics until an override supplies what is missing.
-- candidates: JSON {"townships": [...], "years": [...]} the extractor found, for the person who decides.
ALTER TABLE ingest_files ADD COLUMN candidates VARCHAR;

-- metadata supplied by a person for one file content (sha256); applied whenever that content is processed
CREATE TABLE overrides (
    sha256     VARCHAR PRIMARY KEY,
    township   VARCHAR,
    county     VARCHAR,
    city       VARCHAR,
    year       INTEGER,
    ignore     BOOLEAN NOT NULL DEFAULT false,   -- the file is not a report to load: it leaves the review list
    note       VARCHAR,
    created_by VARCHAR,
    created_at TIMESTAMPTZ NOT NULL
);

-- figures of a needs_review file, kept (not analysed) until its metadata is settled
CREATE TABLE pending_metrics (
    sha256       VARCHAR NOT NULL,
    metric       VARCHAR NOT NULL,
    value        DOUBLE NOT NULL,
    unit         VARCHAR,
    qualifier    VARCHAR NOT NULL,
    is_plan      BOOLEAN NOT NULL,
    evidence     VARCHAR NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset   INTEGER NOT NULL,
    section      VARCHAR,
    parts        VARCHAR,
    run_id       VARCHAR NOT NULL,
    PRIMARY KEY (sha256, metric, is_plan)
);

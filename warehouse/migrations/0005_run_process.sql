-- 0005: a run is recorded when it starts, with the process that runs it, so a run that dies is never lost.
-- Released: never edit, add a new numbered file instead.

-- runs.status gains 'running' (written when a run starts; replaced by completed | failed when it ends) and
-- 'crashed' (a run still 'running' when the next run starts: its process was killed or the machine stopped).
ALTER TABLE runs ADD COLUMN pid INTEGER;     -- process id of the run
ALTER TABLE runs ADD COLUMN host VARCHAR;    -- host name of the machine it ran on

-- v_last_run lists runs' columns: rebuilt so it shows the new ones.
CREATE OR REPLACE VIEW v_last_run AS
SELECT r.*,
       epoch(r.finished_at - r.started_at) AS duration_s,
       (SELECT max(finished_at) FROM runs WHERE status = 'completed') AS last_completed_at,
       (SELECT count(*) FROM reports WHERE is_current) AS current_reports
FROM runs r
ORDER BY r.started_at DESC
LIMIT 1;

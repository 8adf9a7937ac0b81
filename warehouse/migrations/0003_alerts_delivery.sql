-- 0003: what the data-quality gate and the alert delivery record beyond 0001.

-- the GX expectation type behind a check (dq_results.expectation holds the check name, e.g. rate_within_0_100,
-- the same name as rejected_metrics.expectation and a dq_failure alert's detail)
ALTER TABLE dq_results ADD COLUMN expectation_type VARCHAR;

-- where a delivery went: the e-mail recipients or the webhook URL (never a password or a token)
ALTER TABLE alert_deliveries ADD COLUMN target VARCHAR;

-- How far a payroll run's computation has got, for a page that polls while the run is computed
-- (payroll/progress.h). Written in its own short transactions beside the run's, on PostgreSQL
-- only, so another server instance of the same database can answer the poll. Rows are kept a day.
CREATE TABLE payroll_progress (
  token TEXT PRIMARY KEY,          -- chosen by the page that starts the run
  user_id BIGINT,                  -- who started it; only they may read it
  phase TEXT NOT NULL DEFAULT '',  -- prepare | compute | save | done | failed
  done BIGINT NOT NULL DEFAULT 0,  -- persons processed
  total BIGINT NOT NULL DEFAULT 0, -- persons in the run's region
  run_id BIGINT,                   -- once done
  message TEXT NOT NULL DEFAULT '',-- once failed: why, in Chinese
  started_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX payroll_progress_updated ON payroll_progress (updated_at);

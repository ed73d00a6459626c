-- A payroll run writes its lines with multi-row INSERTs, a million for a county. On SQLite two
-- things in the table made each of them costly:
-- - Immediate foreign keys make every multi-row INSERT keep a statement journal: each page the
--   statement touches is copied to a temporary file first (some 900,000 writes for a county).
--   Deferred keys are still checked, at commit, and need none (with INSERT OR FAIL).
-- - `id BIGINT PRIMARY KEY` is a separate unique index beside the rowid. As INTEGER PRIMARY KEY the
--   id is the rowid itself, which is still 64 bits.
-- The table is rebuilt with its rows, ids and indexes as they were.
CREATE TABLE payroll_lines_rebuilt (
  id INTEGER PRIMARY KEY,
  run_id BIGINT NOT NULL REFERENCES payroll_runs(id) DEFERRABLE INITIALLY DEFERRED,
  seq INTEGER NOT NULL,
  person_id BIGINT NOT NULL REFERENCES persons(id) DEFERRABLE INITIALLY DEFERRED,
  region_code TEXT NOT NULL,
  name TEXT NOT NULL,
  id_number TEXT NOT NULL,
  bank_name TEXT NOT NULL,
  bank_account TEXT NOT NULL,
  item_code TEXT NOT NULL,
  kind TEXT NOT NULL,                  -- regular | arrears | recovery | one_off | reissue
  for_month TEXT NOT NULL,             -- the month it pays or corrects
  standard_id BIGINT,
  amount_fen BIGINT NOT NULL,
  basis TEXT NOT NULL,                 -- how the amount was reached, in words
  exception TEXT NOT NULL DEFAULT '',  -- why the line is held ('' = payable)
  bank_status TEXT NOT NULL DEFAULT '',-- '' | paid | failed
  bank_reason TEXT NOT NULL DEFAULT '',
  source_line_id BIGINT                -- reissue: the failed line it pays again
);
INSERT INTO payroll_lines_rebuilt (id, run_id, seq, person_id, region_code, name, id_number, bank_name, bank_account,
  item_code, kind, for_month, standard_id, amount_fen, basis, exception, bank_status, bank_reason, source_line_id)
SELECT id, run_id, seq, person_id, region_code, name, id_number, bank_name, bank_account, item_code, kind, for_month,
  standard_id, amount_fen, basis, exception, bank_status, bank_reason, source_line_id
FROM payroll_lines ORDER BY id;
DROP TABLE payroll_lines;
ALTER TABLE payroll_lines_rebuilt RENAME TO payroll_lines;
CREATE INDEX payroll_lines_run ON payroll_lines(run_id, seq);
CREATE INDEX payroll_lines_person ON payroll_lines(person_id, for_month);

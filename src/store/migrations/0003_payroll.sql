-- 抚恤补助发放: benefit items, standards (with their history), payroll runs and lines, what each
-- person has been paid month by month, and proof of life (生存认证).
-- Money is BIGINT fen. Months are TEXT 'YYYY-MM', dates 'YYYY-MM-DD'.

CREATE TABLE benefit_items (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  categories TEXT NOT NULL,              -- comma-separated category codes it serves
  frequency TEXT NOT NULL,               -- monthly | quarterly | yearly | one_off
  max_grade INTEGER NOT NULL DEFAULT 0,  -- 护理费: 1–4 only; 0 = no limit
  funding TEXT NOT NULL DEFAULT '',      -- 中央/省/市/县 shares, e.g. "中央:80,省:10,市:5,县:5"
  sort INTEGER NOT NULL
);
INSERT INTO benefit_items (code, name, categories, frequency, max_grade, sort) VALUES
  ('disability_pension', '残疾抚恤金', 'disabled_veteran', 'monthly', 0, 10),
  ('survivor_pension', '定期抚恤金', 'martyr_survivor,duty_death_survivor,illness_death_survivor', 'monthly', 0, 20),
  ('living_allowance', '定期生活补助',
   'ill_returned_veteran,war_veteran,nuclear_test_veteran,demobilized_veteran,rural_veteran_60,elderly_martyr_child',
   'monthly', 0, 30),
  ('nursing_fee', '护理费', 'disabled_veteran', 'monthly', 4, 40),
  ('conscript_family_allowance', '义务兵家庭优待金', 'conscript_family', 'yearly', 0, 50),
  ('funeral_subsidy', '丧葬补助费',
   'martyr_survivor,duty_death_survivor,illness_death_survivor,disabled_veteran,war_veteran', 'one_off', 0, 60),
  ('one_time_subsidy', '一次性补助', '', 'one_off', 0, 70),
  ('condolence_money', '慰问金', '', 'one_off', 0, 80);

CREATE TABLE benefit_standards (
  id BIGINT PRIMARY KEY,
  item_code TEXT NOT NULL REFERENCES benefit_items(code),
  category TEXT NOT NULL,
  cause TEXT NOT NULL DEFAULT '',          -- combat | duty | illness; '' = any
  grade INTEGER NOT NULL DEFAULT 0,        -- 1–10; 0 = any
  region_prefix TEXT NOT NULL DEFAULT '',  -- '' = 全国; else a region code prefix (local top-up)
  unit TEXT NOT NULL,                      -- yearly | monthly | monthly_per_year_served
  amount_fen BIGINT NOT NULL,
  effective_from TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'active',   -- active | replaced
  replaces_id BIGINT,
  created_at BIGINT NOT NULL,
  created_by BIGINT,
  replaced_at BIGINT,
  replaced_by BIGINT
);
CREATE UNIQUE INDEX benefit_standards_key ON benefit_standards
  (item_code, category, cause, grade, region_prefix, effective_from) WHERE status = 'active';

CREATE TABLE payroll_runs (
  id BIGINT PRIMARY KEY,
  month TEXT NOT NULL,
  kind TEXT NOT NULL,                 -- regular | reissue
  items TEXT NOT NULL,                -- comma-separated item codes
  region_code TEXT NOT NULL,          -- whose beneficiaries: the preparer's scope
  parent_run_id BIGINT,               -- reissue: the run whose failed lines it pays again
  status TEXT NOT NULL,               -- draft | approved | reconciled
  line_count BIGINT NOT NULL DEFAULT 0,
  person_count BIGINT NOT NULL DEFAULT 0,
  total_fen BIGINT NOT NULL DEFAULT 0,     -- payable lines: regular + arrears + one-off + recovery
  arrears_fen BIGINT NOT NULL DEFAULT 0,   -- 补发
  recovery_fen BIGINT NOT NULL DEFAULT 0,  -- 扣回 (negative)
  exception_count BIGINT NOT NULL DEFAULT 0,
  exception_fen BIGINT NOT NULL DEFAULT 0,
  paid_count BIGINT NOT NULL DEFAULT 0,
  failed_count BIGINT NOT NULL DEFAULT 0,
  failed_fen BIGINT NOT NULL DEFAULT 0,
  prepared_by BIGINT,
  prepared_at BIGINT NOT NULL,
  computed_at BIGINT NOT NULL,
  approved_by BIGINT,
  approved_at BIGINT,
  exported_by BIGINT,
  exported_at BIGINT,
  reconciled_by BIGINT,
  reconciled_at BIGINT,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX payroll_runs_month ON payroll_runs(month, kind);

CREATE TABLE payroll_lines (
  id BIGINT PRIMARY KEY,
  run_id BIGINT NOT NULL REFERENCES payroll_runs(id),
  seq INTEGER NOT NULL,
  person_id BIGINT NOT NULL REFERENCES persons(id),
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
CREATE INDEX payroll_lines_run ON payroll_lines(run_id, seq);
CREATE INDEX payroll_lines_person ON payroll_lines(person_id, for_month);

-- Net amounts paid per person, item and month by approved runs, run-length encoded:
-- "2019-08..2019-09:667833;2019-10:734583". The next run compares what is due with this.
CREATE TABLE payment_positions (
  person_id BIGINT NOT NULL,
  item_code TEXT NOT NULL,
  schedule TEXT NOT NULL,
  PRIMARY KEY (person_id, item_code)
);

CREATE TABLE proof_of_life (
  person_id BIGINT NOT NULL REFERENCES persons(id),
  year INTEGER NOT NULL,
  verified_on TEXT NOT NULL,
  method TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  created_by BIGINT,
  PRIMARY KEY (person_id, year)
);

-- Databases made before payroll: give the built-in business roles the payroll permissions they
-- are created with today (a fresh database gets them when its roles are seeded).
UPDATE roles SET permissions = permissions || ',standards:manage,payroll:prepare,payroll:approve'
  WHERE code = 'biz_admin' AND permissions NOT LIKE '%payroll:%';
UPDATE roles SET permissions = permissions || ',payroll:prepare'
  WHERE code = 'clerk' AND permissions NOT LIKE '%payroll:%';

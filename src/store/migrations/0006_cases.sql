-- 涉军维权与诉求台帐 (cases) and the working-day calendar their deadlines are counted on.
-- Dates are TEXT 'YYYY-MM-DD'; times BIGINT Unix milliseconds.

-- One row per year that has a calendar; a year without a row has none (deadlines into it fail).
CREATE TABLE calendar_years (
  year INTEGER PRIMARY KEY,
  source TEXT NOT NULL,                 -- the notice the days come from
  updated_at BIGINT NOT NULL,
  updated_by BIGINT,
  version INTEGER NOT NULL DEFAULT 1
);
-- Days that differ from the Monday–Friday rule: holiday = a day off, workday = a 调休 weekend day.
CREATE TABLE calendar_days (
  day TEXT PRIMARY KEY,
  year INTEGER NOT NULL REFERENCES calendar_years(year),
  kind TEXT NOT NULL                    -- holiday | workday
);
CREATE INDEX calendar_days_year ON calendar_days(year);

-- Shipped: the State Council's published calendars (DOMAIN.md §10).
INSERT INTO calendar_years (year, source, updated_at) VALUES (2024, '国务院办公厅关于2024年部分节假日安排的通知（中国政府网 …/202310/content_6911528.htm）', 0);
INSERT INTO calendar_days (day, year, kind) VALUES
  ('2024-01-01', 2024, 'holiday'),
  ('2024-02-10', 2024, 'holiday'),
  ('2024-02-11', 2024, 'holiday'),
  ('2024-02-12', 2024, 'holiday'),
  ('2024-02-13', 2024, 'holiday'),
  ('2024-02-14', 2024, 'holiday'),
  ('2024-02-15', 2024, 'holiday'),
  ('2024-02-16', 2024, 'holiday'),
  ('2024-02-17', 2024, 'holiday'),
  ('2024-04-04', 2024, 'holiday'),
  ('2024-04-05', 2024, 'holiday'),
  ('2024-04-06', 2024, 'holiday'),
  ('2024-05-01', 2024, 'holiday'),
  ('2024-05-02', 2024, 'holiday'),
  ('2024-05-03', 2024, 'holiday'),
  ('2024-05-04', 2024, 'holiday'),
  ('2024-05-05', 2024, 'holiday'),
  ('2024-06-10', 2024, 'holiday'),
  ('2024-09-15', 2024, 'holiday'),
  ('2024-09-16', 2024, 'holiday'),
  ('2024-09-17', 2024, 'holiday'),
  ('2024-10-01', 2024, 'holiday'),
  ('2024-10-02', 2024, 'holiday'),
  ('2024-10-03', 2024, 'holiday'),
  ('2024-10-04', 2024, 'holiday'),
  ('2024-10-05', 2024, 'holiday'),
  ('2024-10-06', 2024, 'holiday'),
  ('2024-10-07', 2024, 'holiday'),
  ('2024-02-04', 2024, 'workday'),
  ('2024-02-18', 2024, 'workday'),
  ('2024-04-07', 2024, 'workday'),
  ('2024-04-28', 2024, 'workday'),
  ('2024-05-11', 2024, 'workday'),
  ('2024-09-14', 2024, 'workday'),
  ('2024-09-29', 2024, 'workday'),
  ('2024-10-12', 2024, 'workday');
INSERT INTO calendar_years (year, source, updated_at) VALUES (2025, '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，中国政府网 …/202411/content_6986383.htm）', 0);
INSERT INTO calendar_days (day, year, kind) VALUES
  ('2025-01-01', 2025, 'holiday'),
  ('2025-01-28', 2025, 'holiday'),
  ('2025-01-29', 2025, 'holiday'),
  ('2025-01-30', 2025, 'holiday'),
  ('2025-01-31', 2025, 'holiday'),
  ('2025-02-01', 2025, 'holiday'),
  ('2025-02-02', 2025, 'holiday'),
  ('2025-02-03', 2025, 'holiday'),
  ('2025-02-04', 2025, 'holiday'),
  ('2025-04-04', 2025, 'holiday'),
  ('2025-04-05', 2025, 'holiday'),
  ('2025-04-06', 2025, 'holiday'),
  ('2025-05-01', 2025, 'holiday'),
  ('2025-05-02', 2025, 'holiday'),
  ('2025-05-03', 2025, 'holiday'),
  ('2025-05-04', 2025, 'holiday'),
  ('2025-05-05', 2025, 'holiday'),
  ('2025-05-31', 2025, 'holiday'),
  ('2025-06-01', 2025, 'holiday'),
  ('2025-06-02', 2025, 'holiday'),
  ('2025-10-01', 2025, 'holiday'),
  ('2025-10-02', 2025, 'holiday'),
  ('2025-10-03', 2025, 'holiday'),
  ('2025-10-04', 2025, 'holiday'),
  ('2025-10-05', 2025, 'holiday'),
  ('2025-10-06', 2025, 'holiday'),
  ('2025-10-07', 2025, 'holiday'),
  ('2025-10-08', 2025, 'holiday'),
  ('2025-01-26', 2025, 'workday'),
  ('2025-02-08', 2025, 'workday'),
  ('2025-04-27', 2025, 'workday'),
  ('2025-09-28', 2025, 'workday'),
  ('2025-10-11', 2025, 'workday');
INSERT INTO calendar_years (year, source, updated_at) VALUES (2026, '国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号，中国政府网 …/202511/content_7047091.htm）', 0);
INSERT INTO calendar_days (day, year, kind) VALUES
  ('2026-01-01', 2026, 'holiday'),
  ('2026-01-02', 2026, 'holiday'),
  ('2026-01-03', 2026, 'holiday'),
  ('2026-02-15', 2026, 'holiday'),
  ('2026-02-16', 2026, 'holiday'),
  ('2026-02-17', 2026, 'holiday'),
  ('2026-02-18', 2026, 'holiday'),
  ('2026-02-19', 2026, 'holiday'),
  ('2026-02-20', 2026, 'holiday'),
  ('2026-02-21', 2026, 'holiday'),
  ('2026-02-22', 2026, 'holiday'),
  ('2026-02-23', 2026, 'holiday'),
  ('2026-04-04', 2026, 'holiday'),
  ('2026-04-05', 2026, 'holiday'),
  ('2026-04-06', 2026, 'holiday'),
  ('2026-05-01', 2026, 'holiday'),
  ('2026-05-02', 2026, 'holiday'),
  ('2026-05-03', 2026, 'holiday'),
  ('2026-05-04', 2026, 'holiday'),
  ('2026-05-05', 2026, 'holiday'),
  ('2026-06-19', 2026, 'holiday'),
  ('2026-06-20', 2026, 'holiday'),
  ('2026-06-21', 2026, 'holiday'),
  ('2026-09-25', 2026, 'holiday'),
  ('2026-09-26', 2026, 'holiday'),
  ('2026-09-27', 2026, 'holiday'),
  ('2026-10-01', 2026, 'holiday'),
  ('2026-10-02', 2026, 'holiday'),
  ('2026-10-03', 2026, 'holiday'),
  ('2026-10-04', 2026, 'holiday'),
  ('2026-10-05', 2026, 'holiday'),
  ('2026-10-06', 2026, 'holiday'),
  ('2026-10-07', 2026, 'holiday'),
  ('2026-01-04', 2026, 'workday'),
  ('2026-02-14', 2026, 'workday'),
  ('2026-02-28', 2026, 'workday'),
  ('2026-05-09', 2026, 'workday'),
  ('2026-09-20', 2026, 'workday'),
  ('2026-10-10', 2026, 'workday');

-- The four kinds of case with their SLA (working days), as settings.
CREATE TABLE case_kinds (
  code TEXT PRIMARY KEY,                -- rights | unit_request | hardship | hazard
  name TEXT NOT NULL,
  prefix TEXT NOT NULL,                 -- of case numbers: WQ-2026-0001
  accept_days INTEGER NOT NULL,         -- registration → 受理 (hazards: → 整改中)
  resolve_days INTEGER NOT NULL,        -- 受理 (or reopening) → 办结; hazards: the default 整改时限
  sort INTEGER NOT NULL,
  updated_at BIGINT NOT NULL DEFAULT 0,
  updated_by BIGINT,
  version INTEGER NOT NULL DEFAULT 1
);
INSERT INTO case_kinds (code, name, prefix, accept_days, resolve_days, sort) VALUES
  ('rights', '涉军维权', 'WQ', 3, 15, 10),
  ('unit_request', '部队诉求', 'BD', 3, 15, 20),
  ('hardship', '困难诉求', 'KN', 3, 10, 30),
  ('hazard', '安全隐患', 'YH', 2, 10, 40);

-- The category dictionary of each kind.
CREATE TABLE case_categories (
  kind TEXT NOT NULL REFERENCES case_kinds(code),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  sort INTEGER NOT NULL,
  PRIMARY KEY (kind, code)
);
INSERT INTO case_categories (kind, code, name, sort) VALUES
  ('rights', 'pension', '抚恤优待', 10), ('rights', 'land', '土地权益', 20),
  ('rights', 'employment', '就业安置', 30), ('rights', 'schooling', '子女入学', 40),
  ('rights', 'legal', '法律纠纷', 50), ('rights', 'housing', '住房', 60), ('rights', 'other', '其他', 90),
  ('unit_request', 'road', '道路交通', 10), ('unit_request', 'water_power', '供水供电', 20),
  ('unit_request', 'land_use', '用地与环境', 30), ('unit_request', 'family', '随军家属与子女', 40),
  ('unit_request', 'training', '训练保障', 50), ('unit_request', 'other', '其他', 90),
  ('hardship', 'living', '生活困难', 10), ('hardship', 'medical', '医疗', 20), ('hardship', 'housing', '住房', 30),
  ('hardship', 'education', '教育', 40), ('hardship', 'other', '其他', 90),
  ('hazard', 'building', '房屋安全', 10), ('hazard', 'fire', '消防', 20), ('hazard', 'traffic', '交通', 30),
  ('hazard', 'electricity', '用电', 40), ('hazard', 'military_facility', '军事设施保护', 50),
  ('hazard', 'other', '其他', 90);

CREATE TABLE cases (
  id BIGINT PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL REFERENCES case_kinds(code),
  category TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  region_code TEXT NOT NULL,            -- village or township; scope applies
  applicant_type TEXT NOT NULL,         -- person | unit | individual | '' (hazards may have none)
  applicant_person_id BIGINT,
  applicant_name TEXT NOT NULL DEFAULT '',
  applicant_phone TEXT NOT NULL DEFAULT '',
  applicant_unit TEXT NOT NULL DEFAULT '',
  registered_on TEXT NOT NULL,
  status TEXT NOT NULL,
  department TEXT NOT NULL DEFAULT '',  -- 责任单位 / 整改责任单位
  handler TEXT NOT NULL DEFAULT '',     -- 责任人 / 整改责任人
  hazard_level TEXT NOT NULL DEFAULT '',
  measures TEXT NOT NULL DEFAULT '',
  result TEXT NOT NULL DEFAULT '',
  satisfaction TEXT NOT NULL DEFAULT '',
  reject_reason TEXT NOT NULL DEFAULT '',
  due_stage TEXT NOT NULL DEFAULT '',   -- accept | resolve | rectify | '' (no clock running)
  due_date TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  created_by BIGINT,
  updated_at BIGINT NOT NULL,
  updated_by BIGINT,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cases_region ON cases(region_code);
CREATE INDEX cases_due ON cases(due_date) WHERE due_stage <> '';
CREATE INDEX cases_kind_status ON cases(kind, status);

-- The timeline: one row per action.
CREATE TABLE case_events (
  id BIGINT PRIMARY KEY,
  case_id BIGINT NOT NULL REFERENCES cases(id),
  at BIGINT NOT NULL,
  user_id BIGINT,
  username TEXT NOT NULL,
  display_name TEXT NOT NULL,
  action TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT '{}'       -- JSON of the fields the action set
);
CREATE INDEX case_events_case ON case_events(case_id, at);

-- Files stored with the case (base64 text: one portable column type on both backends).
CREATE TABLE case_attachments (
  id BIGINT PRIMARY KEY,
  case_id BIGINT NOT NULL REFERENCES cases(id),
  file_name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  purpose TEXT NOT NULL,                -- material | evidence
  data_base64 TEXT NOT NULL,
  uploaded_at BIGINT NOT NULL,
  uploaded_by BIGINT,
  uploaded_by_name TEXT NOT NULL
);
CREATE INDEX case_attachments_case ON case_attachments(case_id);

-- An overdue case reported to the 业务管理员 of its township, once per deadline.
CREATE TABLE case_escalations (
  id BIGINT PRIMARY KEY,
  case_id BIGINT NOT NULL REFERENCES cases(id),
  stage TEXT NOT NULL,
  due_date TEXT NOT NULL,
  township_code TEXT NOT NULL,
  lead_user_ids TEXT NOT NULL,          -- comma-separated user ids ('' when the township has none)
  escalated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX case_escalations_once ON case_escalations(case_id, stage, due_date);

-- Databases made before cases: give the built-in roles the permissions they are created with today.
UPDATE roles SET permissions = permissions || ',cases:decide,calendar:manage'
  WHERE code = 'biz_admin' AND permissions NOT LIKE '%cases:decide%';
UPDATE roles SET permissions = permissions || ',calendar:manage'
  WHERE code = 'sys_admin' AND permissions NOT LIKE '%calendar:manage%';
UPDATE config_version SET version = version + 1 WHERE id = 1;

-- 优抚对象信息库: households, persons, their categories, and each person's change history.
-- Dates are TEXT 'YYYY-MM-DD' (months 'YYYY-MM'); search columns are derived on write.

CREATE TABLE households (
  id BIGINT PRIMARY KEY,
  region_code TEXT NOT NULL REFERENCES regions(code),
  address TEXT NOT NULL DEFAULT '',
  head_person_id BIGINT,
  is_dibao INTEGER NOT NULL DEFAULT 0,      -- 低保
  is_tekun INTEGER NOT NULL DEFAULT 0,      -- 特困
  is_kongchao INTEGER NOT NULL DEFAULT 0,   -- 空巢: the only son or daughter is serving
  note TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'active',
  created_at BIGINT NOT NULL,
  created_by BIGINT,
  updated_at BIGINT NOT NULL,
  updated_by BIGINT,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX households_region ON households(region_code);

CREATE TABLE persons (
  id BIGINT PRIMARY KEY,
  region_code TEXT NOT NULL REFERENCES regions(code),
  household_id BIGINT REFERENCES households(id),
  name TEXT NOT NULL,
  name_pinyin TEXT NOT NULL,          -- wangjun
  name_initials TEXT NOT NULL,        -- wj
  name_sort TEXT NOT NULL,            -- "wang jun\t汪军": sorts by pinyin, syllable by syllable
  id_number TEXT NOT NULL UNIQUE,     -- 18 characters, normalized
  id_reversed TEXT NOT NULL,          -- id_number backwards: suffix search as a prefix range
  gender TEXT NOT NULL,               -- male | female
  birth_date TEXT NOT NULL,
  ethnicity TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  bank_name TEXT NOT NULL DEFAULT '',
  bank_account TEXT NOT NULL DEFAULT '',
  enlisted_on TEXT,
  discharged_on TEXT,
  paid_through TEXT,                  -- YYYY-MM: months up to here were paid outside the system
  relation TEXT NOT NULL DEFAULT '',  -- for families: 父母, 配偶, 子女, 兄弟姐妹
  related_name TEXT NOT NULL DEFAULT '',  -- the serviceman or martyr they relate to
  status TEXT NOT NULL DEFAULT 'active',  -- active | suspended | moved | deceased | cancelled
  status_date TEXT,
  status_reason TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  created_by BIGINT,
  updated_at BIGINT NOT NULL,
  updated_by BIGINT,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX persons_region ON persons(region_code, name_sort);
CREATE INDEX persons_initials ON persons(name_initials);
CREATE INDEX persons_pinyin ON persons(name_pinyin);
CREATE INDEX persons_id_reversed ON persons(id_reversed);
CREATE INDEX persons_phone ON persons(phone);
CREATE INDEX persons_household ON persons(household_id);

CREATE TABLE person_categories (
  id BIGINT PRIMARY KEY,
  person_id BIGINT NOT NULL REFERENCES persons(id),
  category TEXT NOT NULL,
  disability_grade INTEGER,
  disability_cause TEXT,              -- combat | duty | illness
  approved_on TEXT,
  certificate_no TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'active',
  created_at BIGINT NOT NULL,
  created_by BIGINT,
  updated_at BIGINT NOT NULL,
  updated_by BIGINT,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (person_id, category)
);
CREATE INDEX person_categories_category ON person_categories(category, person_id);

CREATE TABLE person_history (
  id BIGINT PRIMARY KEY,
  person_id BIGINT NOT NULL REFERENCES persons(id),
  at BIGINT NOT NULL,
  user_id BIGINT,
  username TEXT NOT NULL,
  action TEXT NOT NULL,               -- create | update | status | import
  changes TEXT NOT NULL               -- JSON list of {field, label, old, new}
);
CREATE INDEX person_history_person ON person_history(person_id, at);

-- 一助一 / 结对帮扶: a helper (department, cadre or garrison unit, as text) paired with a registry
-- household on a project; what the helper puts in over time and the follow-ups that record how the
-- household is doing. Dates are TEXT 'YYYY-MM-DD'; money BIGINT fen; times BIGINT Unix milliseconds.

CREATE TABLE assistance_pairs (
  id BIGINT PRIMARY KEY,
  region_code TEXT NOT NULL,               -- the household's village (scope applies)
  household_id BIGINT NOT NULL,            -- registry household, read through registry/households.h
  beneficiary_name TEXT NOT NULL,          -- the household head when paired (as cases keep an applicant's name)
  helper_type TEXT NOT NULL,               -- department | cadre | unit
  helper_name TEXT NOT NULL,
  helper_contact TEXT NOT NULL DEFAULT '',
  helper_phone TEXT NOT NULL DEFAULT '',
  project TEXT NOT NULL,                   -- industry | employment | education | medical | housing | other
  description TEXT NOT NULL,
  started_on TEXT NOT NULL,
  baseline_income BIGINT,                  -- the household's estimated yearly income when paired, fen
  status TEXT NOT NULL DEFAULT 'active',   -- active | closed
  closed_on TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  created_by BIGINT,
  updated_at BIGINT NOT NULL,
  updated_by BIGINT,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX assistance_pairs_region ON assistance_pairs(region_code);
CREATE INDEX assistance_pairs_household ON assistance_pairs(household_id);

-- What the helper put in: funds (fen), labour (person-days) or technical help (text), each dated.
CREATE TABLE assistance_inputs (
  id BIGINT PRIMARY KEY,
  pair_id BIGINT NOT NULL REFERENCES assistance_pairs(id),
  kind TEXT NOT NULL,                      -- funds | labour | technical
  given_on TEXT NOT NULL,
  amount BIGINT NOT NULL DEFAULT 0,        -- fen for funds
  labour_days INTEGER NOT NULL DEFAULT 0,  -- person-days for labour
  description TEXT NOT NULL DEFAULT '',    -- the help itself for technical; a note otherwise
  created_at BIGINT NOT NULL,
  created_by BIGINT,
  created_by_name TEXT NOT NULL
);
CREATE INDEX assistance_inputs_pair ON assistance_inputs(pair_id, given_on);

-- Visits to see how the household is doing, with its estimated yearly income when known.
CREATE TABLE assistance_follow_ups (
  id BIGINT PRIMARY KEY,
  pair_id BIGINT NOT NULL REFERENCES assistance_pairs(id),
  visited_on TEXT NOT NULL,
  note TEXT NOT NULL,
  income BIGINT,                           -- estimated household yearly income, fen
  created_at BIGINT NOT NULL,
  created_by BIGINT,
  created_by_name TEXT NOT NULL
);
CREATE INDEX assistance_follow_ups_pair ON assistance_follow_ups(pair_id, visited_on);

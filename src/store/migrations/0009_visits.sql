-- 走访慰问 (holiday visit campaigns): campaigns with their target groups, the targets snapshotted
-- from the registry when a campaign is generated (campaign_targets, in 0009_visits.<dialect>.sql),
-- the visits recorded against them with photos, and the link from a 困难诉求 case to the visit
-- that raised it. Dates are TEXT 'YYYY-MM-DD'; times BIGINT Unix milliseconds; money BIGINT fen.

CREATE TABLE campaigns (
  id BIGINT PRIMARY KEY,
  name TEXT NOT NULL,
  occasion TEXT NOT NULL,               -- spring_festival | army_day | support_month | other
  region_code TEXT NOT NULL,            -- the area it covers (county or township); scope applies
  starts_on TEXT NOT NULL,
  ends_on TEXT NOT NULL,
  unit TEXT NOT NULL DEFAULT 'household',  -- household | person
  budget_fen BIGINT NOT NULL DEFAULT 0,
  groups TEXT NOT NULL,                 -- JSON [{key, name, cash_fen, gifts, filter}], in priority order
  status TEXT NOT NULL DEFAULT 'draft', -- draft | active | closed
  generated_at BIGINT,
  closed_at BIGINT,
  created_at BIGINT NOT NULL,
  created_by BIGINT,
  updated_at BIGINT NOT NULL,
  updated_by BIGINT,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX campaigns_starts ON campaigns(starts_on);

CREATE TABLE visits (
  id BIGINT PRIMARY KEY,
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
  target_id BIGINT NOT NULL,
  region_code TEXT NOT NULL,            -- the target's village, for scope and sums by village
  visited_on TEXT NOT NULL,
  visitors TEXT NOT NULL DEFAULT '',
  cash_fen BIGINT NOT NULL DEFAULT 0,
  gifts TEXT NOT NULL DEFAULT '',
  family_said TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL,                -- visited | not_home | moved | declined
  cash_note TEXT NOT NULL DEFAULT '',   -- why the cash is above the group's standard
  revisit INTEGER NOT NULL DEFAULT 0,   -- 补访
  case_id BIGINT,                       -- the 困难诉求 case it opened
  warnings TEXT NOT NULL DEFAULT '[]',  -- JSON [{code, message}]
  created_at BIGINT NOT NULL,
  created_by BIGINT,
  recorded_by_name TEXT NOT NULL
);
CREATE INDEX visits_target ON visits(target_id, visited_on);
CREATE INDEX visits_campaign ON visits(campaign_id, region_code);

-- Photos stored with the visit (base64 text, as case attachments).
CREATE TABLE visit_photos (
  id BIGINT PRIMARY KEY,
  visit_id BIGINT NOT NULL REFERENCES visits(id),
  file_name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  data_base64 TEXT NOT NULL
);
CREATE INDEX visit_photos_visit ON visit_photos(visit_id);

-- Where a case came from: '' (registered directly) or 'visit' with the visit's id and what the
-- case page shows about it (JSON: campaign_id, campaign_name).
ALTER TABLE cases ADD COLUMN source_type TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN source_id BIGINT;
ALTER TABLE cases ADD COLUMN source_data TEXT NOT NULL DEFAULT '{}';

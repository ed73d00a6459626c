-- The targets of a campaign, snapshotted by one INSERT … SELECT when it is generated: the rowid
-- is the id, so a million rows need no ids made one by one.
CREATE TABLE campaign_targets (
  id INTEGER PRIMARY KEY,
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
  group_no INTEGER NOT NULL,            -- 1-based position of its group in campaigns.groups
  household_id BIGINT,
  person_id BIGINT NOT NULL,            -- the person visited (household unit: its representative)
  name TEXT NOT NULL,
  name_sort TEXT NOT NULL DEFAULT '',
  members TEXT NOT NULL DEFAULT '',     -- the household's members then, joined with 、
  categories TEXT NOT NULL DEFAULT '',  -- category codes then, comma-separated
  region_code TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  assignee_id BIGINT,
  department TEXT NOT NULL DEFAULT '',
  leader TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'pending',  -- pending | visited | not_home | moved | declined
  visit_id BIGINT,                      -- the latest visit
  appended INTEGER NOT NULL DEFAULT 0,  -- added on purpose after generation
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX campaign_targets_campaign ON campaign_targets(campaign_id, region_code, name_sort);
CREATE INDEX campaign_targets_assignee ON campaign_targets(assignee_id) WHERE assignee_id IS NOT NULL;

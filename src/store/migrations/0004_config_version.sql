-- A counter that moves whenever settings, roles or regions change, so a server can keep them in
-- memory and know, in the same query that reads the session, whether its copy is current. The
-- triggers beside this file bump it in the writing transaction itself: every writer is covered,
-- the web, the command line in another process, a migration or a hand-made fix.
CREATE TABLE config_version (
  id INTEGER PRIMARY KEY,             -- always 1
  version BIGINT NOT NULL
);
INSERT INTO config_version (id, version) VALUES (1, 1);

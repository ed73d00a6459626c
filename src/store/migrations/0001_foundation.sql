-- Foundation: regions, settings, roles, users, sessions, audit log.
-- Times are Unix milliseconds (BIGINT); ids are app-generated 64-bit integers.

CREATE TABLE regions (
  code TEXT PRIMARY KEY,              -- 12-digit 统计用区划代码
  name TEXT NOT NULL,                 -- official name, e.g. 东泰社区居委会
  short_name TEXT NOT NULL,           -- as people write it, e.g. 东泰社区
  level TEXT NOT NULL,                -- county | township | village
  parent_code TEXT REFERENCES regions(code),
  sort_order INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'active',
  created_at BIGINT NOT NULL,
  created_by BIGINT,
  updated_at BIGINT NOT NULL,
  updated_by BIGINT,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX regions_parent ON regions(parent_code, sort_order);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by BIGINT,
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE roles (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  permissions TEXT NOT NULL,          -- comma-separated permission codes
  is_admin INTEGER NOT NULL,          -- 1 for the three separated admin roles
  sort_order INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by BIGINT,
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE users (
  id BIGINT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  region_code TEXT NOT NULL REFERENCES regions(code),
  roles TEXT NOT NULL,                -- comma-separated role codes
  password_hash TEXT NOT NULL,        -- argon2id, libsodium string format
  password_changed_at BIGINT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'active',  -- active | disabled
  status_reason TEXT,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT,
  last_login_at BIGINT,
  last_login_ip TEXT,
  created_at BIGINT NOT NULL,
  created_by BIGINT,
  updated_at BIGINT NOT NULL,
  updated_by BIGINT,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX users_region ON users(region_code);

CREATE TABLE sessions (
  id BIGINT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,    -- SHA-256 of the cookie token; the token itself is never stored
  csrf_token TEXT NOT NULL,
  user_id BIGINT NOT NULL REFERENCES users(id),
  ip TEXT,
  user_agent TEXT,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  ended_at BIGINT,
  end_reason TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE audit_log (
  id BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  user_id BIGINT,
  username TEXT,
  ip TEXT,
  action TEXT NOT NULL,               -- e.g. session.login, user.create
  entity TEXT,
  entity_id TEXT,
  region_code TEXT,
  before_json TEXT,
  after_json TEXT,
  result TEXT NOT NULL,               -- ok | failed
  detail TEXT
);
CREATE INDEX audit_at ON audit_log(at);
CREATE INDEX audit_user ON audit_log(username, at);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);

-- Bump config_version on every write to settings, roles and regions (SQLite has row triggers only).
CREATE TRIGGER settings_config_ins AFTER INSERT ON settings
BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER settings_config_upd AFTER UPDATE ON settings
BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER settings_config_del AFTER DELETE ON settings
BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER roles_config_ins AFTER INSERT ON roles
BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER roles_config_upd AFTER UPDATE ON roles
BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER roles_config_del AFTER DELETE ON roles
BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER regions_config_ins AFTER INSERT ON regions
BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER regions_config_upd AFTER UPDATE ON regions
BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER regions_config_del AFTER DELETE ON regions
BEGIN UPDATE config_version SET version = version + 1 WHERE id = 1; END;

-- Bump config_version on every write to settings, roles and regions (once per statement).
CREATE FUNCTION config_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE config_version SET version = version + 1 WHERE id = 1;
  RETURN NULL;
END;
$$;
CREATE TRIGGER settings_config AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON settings
FOR EACH STATEMENT EXECUTE FUNCTION config_version_bump();
CREATE TRIGGER roles_config AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON roles
FOR EACH STATEMENT EXECUTE FUNCTION config_version_bump();
CREATE TRIGGER regions_config AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON regions
FOR EACH STATEMENT EXECUTE FUNCTION config_version_bump();

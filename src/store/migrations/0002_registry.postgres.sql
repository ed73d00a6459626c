-- Search and sort columns compare bytewise (prefix ranges and pinyin order), whatever the
-- database's locale.
DROP INDEX persons_region;
DROP INDEX persons_initials;
DROP INDEX persons_pinyin;
DROP INDEX persons_id_reversed;
ALTER TABLE persons ALTER COLUMN region_code TYPE TEXT COLLATE "C";
ALTER TABLE persons ALTER COLUMN name_sort TYPE TEXT COLLATE "C";
ALTER TABLE persons ALTER COLUMN name_pinyin TYPE TEXT COLLATE "C";
ALTER TABLE persons ALTER COLUMN name_initials TYPE TEXT COLLATE "C";
ALTER TABLE persons ALTER COLUMN id_reversed TYPE TEXT COLLATE "C";
CREATE INDEX persons_region ON persons(region_code, name_sort);
CREATE INDEX persons_initials ON persons(name_initials);
CREATE INDEX persons_pinyin ON persons(name_pinyin);
CREATE INDEX persons_id_reversed ON persons(id_reversed);

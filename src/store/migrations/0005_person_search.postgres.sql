-- The name range of the search box compares bytes, as SQLite does and as the other search
-- columns already do (0002): the code point order of UTF-8, whatever the database's locale.
ALTER TABLE persons ALTER COLUMN name TYPE TEXT COLLATE "C";

-- The search box (registry::search_persons with pinyin or initials and no other filter) reads
-- only these two indexes: the region, the sort key and the id ride along in them, so counting and
-- ordering a prefix's matches needs no table row, and only the page's 20 rows are read. The
-- pinyin index also carries the initials, so a name that matches both ways is counted once.
DROP INDEX persons_initials;
DROP INDEX persons_pinyin;
CREATE INDEX persons_initials ON persons(name_initials, region_code, name_sort, id);
CREATE INDEX persons_pinyin ON persons(name_pinyin, region_code, name_initials, name_sort, id);
-- A name typed in Chinese matches names that start with it (the surname first), as a range on
-- this index; the page's order and the scope ride along as above.
CREATE INDEX persons_name ON persons(name, region_code, name_sort, id);

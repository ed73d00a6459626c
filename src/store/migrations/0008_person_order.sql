-- The search box's pages in name order when a short term matches many names ("zh": every 张, 赵,
-- 周 and every 郑华): registry::search_persons walks this index in (name_sort, id) order from the
-- term's first letter and stops at the page's last row, instead of sorting every match. The
-- initials, the pinyin and the region ride along, so the walk tests each entry without reading
-- the row.
CREATE INDEX persons_sort ON persons(name_sort, id, name_initials, name_pinyin, region_code);

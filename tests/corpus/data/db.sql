CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT, qty INTEGER);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
INSERT INTO item(name, qty) SELECT 'item' || (i % 97), i % 13 FROM n;
CREATE INDEX item_name ON item(name);
SELECT name, count(*), sum(qty) FROM item GROUP BY name ORDER BY sum(qty) DESC LIMIT 3;
SELECT group_concat(id, ',') FROM (SELECT id FROM item WHERE qty = 12 ORDER BY id LIMIT 5);
SELECT * FROM no_such_table;

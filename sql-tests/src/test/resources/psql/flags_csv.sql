-- psql-args: --csv
-- CSV output (psql --csv).
CREATE TABLE fc (host TEXT, note TEXT, n INT);
INSERT INTO fc VALUES ('a', 'plain', 1), ('b', 'has, comma', 2), ('c', 'has "quotes"', NULL);
SELECT host, note, n FROM fc ORDER BY host;
DROP TABLE fc;

-- psql-args: -A -t -F |
-- Unaligned, tuples-only output as scripts use it (psql -A -t -F '|').
CREATE TABLE fl (host TEXT, n INT);
INSERT INTO fl VALUES ('a', 1), ('b', NULL);
SELECT host, n FROM fl ORDER BY host;
SELECT count(*) FROM fl;
DROP TABLE fl;

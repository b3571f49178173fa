-- Everyday querying: create, insert, select with filters, aggregates, joins, ordering.
CREATE TABLE cpu (host TEXT, region TEXT, usage DOUBLE PRECISION, cores INT, ts TIMESTAMP);
INSERT INTO cpu VALUES
  ('web-1', 'eu', 12.5, 4, '2024-01-01 00:00:00'),
  ('web-2', 'us', 80.25, 8, '2024-01-01 00:00:10'),
  ('web-1', 'eu', 50, 4, '2024-01-01 00:00:20'),
  ('db-1', NULL, 99.5, 16, '2024-01-01 00:00:30');
SELECT * FROM cpu ORDER BY ts;
SELECT host, count(*) AS n, max(usage) AS peak, min(ts) AS first_seen FROM cpu GROUP BY host ORDER BY host;
SELECT region, avg(usage) AS avg_usage FROM cpu GROUP BY region ORDER BY region NULLS LAST;
SELECT host, usage FROM cpu WHERE usage > 20 AND region IS NOT NULL ORDER BY usage DESC LIMIT 2;
SELECT host FROM cpu WHERE ts BETWEEN '2024-01-01 00:00:05' AND '2024-01-01 00:00:25' ORDER BY ts;
CREATE TABLE hosts (host TEXT, owner TEXT);
INSERT INTO hosts VALUES ('web-1', 'alice'), ('web-2', 'bob');
SELECT c.host, h.owner, c.usage FROM cpu c LEFT JOIN hosts h ON h.host = c.host ORDER BY c.ts;
SELECT host FROM cpu WHERE host NOT IN (SELECT host FROM hosts) ORDER BY host;
SELECT DISTINCT region FROM cpu ORDER BY region;
SELECT count(*) AS rows_with_nulls FROM cpu WHERE region IS NULL;
SELECT host, CASE WHEN usage > 75 THEN 'hot' ELSE 'ok' END AS state FROM cpu ORDER BY ts;
SELECT 'it''s' AS quoted, 'multi
line' AS newline, '' AS empty, NULL AS nothing;
SELECT host FROM cpu WHERE usage > 1000;
DROP TABLE hosts;
DROP TABLE cpu;

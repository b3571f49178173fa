CREATE TABLE cpu (host TEXT, usage DOUBLE PRECISION, cores INT, ts TIMESTAMP);
INSERT INTO cpu VALUES ('web-1', 12.5, 4, '2024-01-01 00:00:00'),
  ('web-2', 80.25, 8, '2024-01-01 00:00:10'), ('web-1', 50, 4, '2024-01-01 00:00:20');
SELECT host, count(*) AS n, max(usage) AS peak FROM cpu GROUP BY host ORDER BY host;
SELECT * FROM cpu WHERE usage > 20 ORDER BY ts LIMIT 1;
SELECT * FROM missing;
SELEC 1;
SELECT 'still here' AS status;
DROP TABLE cpu;

-- Catalog meta-commands (psql's own pg_catalog queries) and \copy.
CREATE TABLE metaprobe (id INT NOT NULL, name TEXT, score DOUBLE PRECISION, ts TIMESTAMP);
CREATE TABLE other_probe (k VARCHAR(10), n BIGINT);
INSERT INTO metaprobe VALUES (1, 'a', 1.5, '2024-01-01 00:00:00');
\dt
\dt metaprobe
\d metaprobe
\d other_probe
\d
\di
\dv
\dT
\df
\dn
\du
\l
\copy metaprobe TO STDOUT
\copy metaprobe (id, name) TO STDOUT WITH (FORMAT csv, HEADER)
\copy metaprobe FROM STDIN
2	b	2.5	2024-01-02 00:00:00
\.
SELECT id, name FROM metaprobe ORDER BY id;
DROP TABLE other_probe;
DROP TABLE metaprobe;
\dt

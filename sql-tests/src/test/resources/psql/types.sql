-- bytea, json, jsonb and numeric columns as psql shows them.
CREATE TABLE tprobe (id INT NOT NULL, b BYTEA, j JSON, jb JSONB, p NUMERIC(10, 2), u NUMERIC, d DECIMAL(4));
INSERT INTO tprobe VALUES (1, '\x00ff', '{"a" :1}', '{"b":[1,2],"a":"x"}', 1.005, 0.50, 12);
INSERT INTO tprobe VALUES (2, NULL, NULL, NULL, NULL, NULL, NULL);
\d tprobe
SELECT id, b, j, jb, p, u, d FROM tprobe ORDER BY id;
SELECT j ->> 'a' AS a, jb -> 'b' AS b, jb -> 'b' ->> 0 AS first FROM tprobe WHERE id = 1;
INSERT INTO tprobe (id, p) VALUES (3, 123456789.999);
INSERT INTO tprobe (id, j) VALUES (3, '{"a": ');
SELECT count(*) AS n FROM tprobe;
DROP TABLE tprobe;

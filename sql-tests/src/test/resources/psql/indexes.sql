-- Indexes as psql shows them: \d TABLE's "Indexes:" section, \di, \d INDEX; unique violations.
CREATE TABLE iprobe (id INT NOT NULL, name TEXT, score DOUBLE PRECISION);
INSERT INTO iprobe VALUES (1, 'a', 1.5), (2, 'b', 2.5);
CREATE INDEX iprobe_name ON iprobe (name);
CREATE UNIQUE INDEX iprobe_key ON iprobe (name, id DESC);
CREATE INDEX ON iprobe (score DESC NULLS LAST, id);
\d iprobe
\di
INSERT INTO iprobe VALUES (3, 'a', 0), (1, 'a', 0);
INSERT INTO iprobe VALUES (3, 'a', 1.5);
CREATE UNIQUE INDEX iprobe_dup ON iprobe (score);
CREATE TABLE iprobe_name (x INT);
DROP TABLE iprobe_name;
SELECT count(*) AS n FROM iprobe;
DROP INDEX iprobe_name;
DROP INDEX iprobe_name;
\di
DROP TABLE iprobe;
\di

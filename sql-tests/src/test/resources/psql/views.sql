-- Views and ALTER TABLE ... ADD COLUMN as psql shows them.
CREATE TABLE vprobe (id INT NOT NULL, name TEXT);
INSERT INTO vprobe VALUES (1, 'a'), (2, 'b');
CREATE VIEW vprobe_names (ident, label) AS SELECT id, upper(name) FROM vprobe;
CREATE VIEW vprobe_count AS SELECT count(*) AS n FROM vprobe;
\dv
\d vprobe_names
\d
SELECT * FROM vprobe_names ORDER BY ident;
ALTER TABLE vprobe ADD COLUMN score DOUBLE PRECISION;
\d vprobe
SELECT * FROM vprobe ORDER BY id;
CREATE VIEW vprobe_names AS SELECT 1;
DROP TABLE vprobe_names;
DROP VIEW vprobe;
DROP TABLE vprobe;
DROP VIEW vprobe_names, vprobe_count;
DROP TABLE vprobe;
\dv

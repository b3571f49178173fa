-- Errors are reported and the session goes on: syntax (E003), unknown table (E004), others.
CREATE TABLE t (id INT NOT NULL, name TEXT);
INSERT INTO t VALUES (1, 'one');
SELEC 1;
SELECT * FROM missing;
SELECT 1 / 0;
INSERT INTO t VALUES (NULL, 'x');
INSERT INTO t VALUES ('abc', 'x');
CREATE TABLE t (x INT);
DROP TABLE missing;
SELECT 'still here' AS status;
BEGIN;
INSERT INTO t VALUES (2, 'two');
SELECT * FROM missing;
SELECT 'refused inside the failed transaction' AS status;
ROLLBACK;
SELECT count(*) AS n FROM t WHERE id = 1;
DROP TABLE t;

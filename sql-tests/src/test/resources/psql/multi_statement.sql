-- Several statements on one line, \g and \gx, comments between statements.
CREATE TABLE ms (id INT, v TEXT); INSERT INTO ms VALUES (1, 'x'), (2, 'y'); SELECT count(*) AS n FROM ms;
SELECT id FROM ms ORDER BY id; SELECT v FROM ms ORDER BY v DESC;
-- a comment line
SELECT id, v FROM ms ORDER BY id \g
SELECT id, v FROM ms ORDER BY id \gx
SELECT 1 AS one -- a trailing comment
;
/* a block comment */ SELECT 2 AS two;
SELECT v
  FROM ms
 WHERE id = 2;
DROP TABLE ms;

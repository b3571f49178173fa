-- Output formats with \pset, \x, \a, \t and \timing off.
\timing off
CREATE TABLE fmt (id INT, name TEXT, score DOUBLE PRECISION);
INSERT INTO fmt VALUES (1, 'ann', 9.5), (2, 'bob', NULL), (3, 'carla', 7.25);
SELECT * FROM fmt ORDER BY id;
\pset null '(null)'
SELECT * FROM fmt ORDER BY id;
\pset border 2
SELECT * FROM fmt ORDER BY id;
\pset border 0
SELECT * FROM fmt ORDER BY id;
\pset border 1
\x on
SELECT * FROM fmt ORDER BY id;
\x off
\a
SELECT * FROM fmt ORDER BY id;
\pset fieldsep ','
SELECT * FROM fmt ORDER BY id;
\a
\t on
SELECT name FROM fmt ORDER BY id;
\t off
\pset footer off
SELECT name FROM fmt ORDER BY id;
\pset footer on
\pset format csv
SELECT * FROM fmt ORDER BY id;
\pset format html
SELECT name, score FROM fmt WHERE id = 1;
\pset format asciidoc
SELECT name, score FROM fmt WHERE id = 1;
\pset format aligned
\pset title 'Scores'
SELECT name, score FROM fmt ORDER BY id;
\pset title
\pset null ''
DROP TABLE fmt;

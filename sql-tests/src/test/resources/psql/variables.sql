-- psql variables, \echo, \qecho, \if and \gset.
\echo plain echo
\set tbl 'scenario_vars'
\set greeting 'hello world'
\echo table :tbl and greeting :greeting
\echo quoted :'greeting' and identifier :"tbl"
CREATE TABLE :tbl (k TEXT, v INT);
INSERT INTO :tbl VALUES ('a', 1), ('b', 2), ('c', 3);
\set key 'b'
SELECT v FROM :tbl WHERE k = :'key';
\set limit 2
SELECT k FROM :tbl ORDER BY k LIMIT :limit;
SELECT max(v) AS top, count(*) AS total FROM :tbl \gset
\echo top is :top of :total
SELECT :top * 10 AS scaled;
SELECT k AS picked FROM :tbl WHERE v = :top;
\set flag true
\if :flag
\echo flag is set
\else
\echo flag is not set
\endif
\if false
\echo not printed
\elif true
\echo elif branch
\endif
\unset key
\echo key is now :key
\qecho qecho goes to the query output
DROP TABLE :tbl;

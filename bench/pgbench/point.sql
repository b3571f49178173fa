-- pgbench script "point": one row by id (ids 1..rows; run-pgbench.sh substitutes the row count).
\set id random(1, :rows)
SELECT v FROM kv WHERE id = :id;

-- pgbench script "select1": protocol round trip only.
SELECT 1;

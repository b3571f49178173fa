-- pgbench script "agg": a small aggregate over the whole table.
SELECT host, count(*), avg(v) FROM kv GROUP BY host;

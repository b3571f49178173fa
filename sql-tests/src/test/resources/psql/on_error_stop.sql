-- exit-code: 3
-- With ON_ERROR_STOP psql stops at the first error and exits with status 3.
\set ON_ERROR_STOP on
SELECT 'before' AS step;
SELECT * FROM missing;
SELECT 'never printed' AS step;

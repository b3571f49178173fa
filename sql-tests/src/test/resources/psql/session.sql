-- Session statements: SET, SHOW, RESET, transaction control.
SHOW application_name;
SET application_name = 'scenario';
SHOW application_name;
RESET application_name;
SHOW application_name;
SHOW search_path;
SHOW client_encoding;
SHOW TimeZone;
BEGIN;
SELECT 1 AS inside;
COMMIT;
\encoding

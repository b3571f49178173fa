SELECT pg_catalog.pg_get_viewdef('16401'::pg_catalog.oid, true);

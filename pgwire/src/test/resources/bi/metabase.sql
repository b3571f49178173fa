-- Metabase postgres driver (metabase/metabase src/metabase/driver/postgres.clj + sql-jdbc sync), HoneySQL rendered by hand; bound parameters are inlined.
-- Source, versions and caveats: docs/research/bi-tool-queries.md. Every statement below ran on PostgreSQL 15.18.
-- Setup: CREATE TABLE cpu(ts timestamp NOT NULL, hostname text, usage_user double precision) in schema public of database postgres.
-- Format: statements separated by a line containing only '-- next'; each is preceded by '-- <when it is sent>' and '-- expect: ...'.
-- The ';' that ends each statement is this file's terminator, not part of the text the client sends.
-- OID literal 16384 = OID of public.cpu on a fresh PostgreSQL cluster: a test must substitute the OID LumaDB reports for cpu.
-- LumaDB: BiToolQueriesTest runs every statement (database 'default' for 'postgres', cpu's real OID for 16384,
-- cpu holding three rows) and checks each '-- check:' line; the DSL is described in that test's javadoc.

-- on save / connection test (sql-jdbc can-connect?), and as the c3p0 pool's connection test
-- expect: one row, value 1
-- check: rows = 1
-- check: column #1 = 1
SELECT 1;
-- next
-- sync step 1: syncable schemas (sql-jdbc.sync.interface/filtered-syncable-schemas -> pgjdbc DatabaseMetaData.getSchemas(); same text as J04 in pg-client-catalog-queries.md)
-- expect: rows with TABLE_SCHEM = public, information_schema and pg_catalog; TABLE_CATALOG = current database
-- check: column TABLE_SCHEM has public
-- check: column TABLE_SCHEM has information_schema
-- check: column TABLE_SCHEM has pg_catalog
-- check: column TABLE_CATALOG all default
-- check: ordered by TABLE_SCHEM
SELECT nspname AS "TABLE_SCHEM", current_database() AS "TABLE_CATALOG" FROM pg_catalog.pg_namespace  WHERE nspname <> 'pg_toast' AND (nspname !~ '^pg_temp_'  OR nspname = (pg_catalog.current_schemas(true))[1]) AND (nspname !~ '^pg_toast_temp_'  OR nspname = replace((pg_catalog.current_schemas(true))[1], 'pg_temp_', 'pg_toast_temp_'))  ORDER BY "TABLE_SCHEM";
-- next
-- sync step 2: describe-database (get-tables-sql) for the syncable schemas; HoneySQL renders the strings '^pg_', 'information_schema', 0 and the schema list as bind parameters ($1..$n) - inlined here
-- expect: a row with schema = public, name = cpu, type = TABLE; estimated_row_count present (bigint, may be NULL or 0)
-- check: columns schema,name,type,description,estimated_row_count
-- check: row schema=public name=cpu type=TABLE estimated_row_count=3
-- check: column schema lacks pg_catalog
-- check: column schema lacks information_schema
SELECT "n"."nspname" AS "schema", "c"."relname" AS "name", CASE "c"."relkind" WHEN 'r' THEN 'TABLE' WHEN 'p' THEN 'PARTITIONED TABLE' WHEN 'v' THEN 'VIEW' WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE NULL END AS "type", "d"."description" AS "description", "stat"."n_live_tup" AS "estimated_row_count" FROM "pg_catalog"."pg_class" AS "c" INNER JOIN "pg_catalog"."pg_namespace" AS "n" ON "c"."relnamespace" = "n"."oid" LEFT JOIN "pg_catalog"."pg_description" AS "d" ON ("c"."oid" = "d"."objoid") AND ("d"."objsubid" = 0) AND ("d"."classoid" = 'pg_class'::regclass) LEFT JOIN "pg_stat_user_tables" AS "stat" ON ("n"."nspname" = "stat"."schemaname") AND ("c"."relname" = "stat"."relname") WHERE ("c"."relnamespace" = "n"."oid") AND ("n"."nspname" !~ '^pg_') AND ("n"."nspname" <> 'information_schema') AND c.relkind in ('r', 'p', 'v', 'f', 'm') AND ("n"."nspname" IN ('public')) ORDER BY "type" ASC, "schema" ASC, "name" ASC;
-- next
-- sync step 3: before describe-fields, enum types (describe-fields-pre-process-xf -> enum-types)
-- expect: zero rows (no enum types); columns nspname, typname
-- check: rows = 0
-- check: columns nspname,typname
SELECT nspname, typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid IN (SELECT DISTINCT enumtypid FROM pg_enum e);
-- next
-- sync step 3: describe-fields (describe-fields-sql) for schema public, table cpu; schema/table names are bind parameters - inlined here
-- expect: three rows ordered by database-position: (name ts, database-type timestamp, database-position 0, pk? f, field-comment NULL, database-required t, database-is-auto-increment f), (hostname, text, 1, f, NULL, f, f), (usage_user, float8, 2, f, NULL, f, f); table-schema = public, table-name = cpu on every row
-- check: column name = ts,hostname,usage_user
-- check: column database-type = timestamp,text,float8
-- check: column database-position = 0,1,2
-- check: column pk? = f,f,f
-- check: column field-comment = NULL,NULL,NULL
-- check: column database-required = t,f,f
-- check: column database-is-auto-increment = f,f,f
-- check: column table-schema all public
-- check: column table-name all cpu
SELECT "c"."column_name" AS "name", CASE WHEN "c"."udt_schema" IN ('public', 'pg_catalog') THEN FORMAT('%s', "c"."udt_name") ELSE FORMAT('"%s"."%s"', "c"."udt_schema", "c"."udt_name") END AS "database-type", "c"."ordinal_position" - 1 AS "database-position", "c"."table_schema" AS "table-schema", "c"."table_name" AS "table-name", "pk"."column_name" IS NOT NULL AS "pk?", COL_DESCRIPTION(CAST(CAST(FORMAT('%I.%I', CAST("c"."table_schema" AS TEXT), CAST("c"."table_name" AS TEXT)) AS REGCLASS) AS OID), "c"."ordinal_position") AS "field-comment", (("column_default" IS NULL) OR (LOWER("column_default") = 'null')) AND ("is_nullable" = 'NO') AND NOT ((("column_default" IS NOT NULL) AND ("column_default" LIKE '%nextval(%')) OR ("is_identity" <> 'NO')) AS "database-required", (("column_default" IS NOT NULL) AND ("column_default" LIKE '%nextval(%')) OR ("is_identity" <> 'NO') AS "database-is-auto-increment" FROM "information_schema"."columns" AS "c" LEFT JOIN (SELECT "tc"."table_schema", "tc"."table_name", "kc"."column_name" FROM "information_schema"."table_constraints" AS "tc" INNER JOIN "information_schema"."key_column_usage" AS "kc" ON ("tc"."constraint_name" = "kc"."constraint_name") AND ("tc"."table_schema" = "kc"."table_schema") AND ("tc"."table_name" = "kc"."table_name") WHERE "tc"."constraint_type" = 'PRIMARY KEY') AS "pk" ON ("c"."table_schema" = "pk"."table_schema") AND ("c"."table_name" = "pk"."table_name") AND ("c"."column_name" = "pk"."column_name") WHERE c.table_schema !~ '^information_schema|catalog_history|pg_' AND ("c"."table_schema" IN ('public')) AND ("c"."table_name" IN ('cpu')) UNION ALL SELECT "pa"."attname" AS "name", CASE WHEN "ptn"."nspname" IN ('public', 'pg_catalog') THEN FORMAT('%s', "pt"."typname") ELSE FORMAT('"%s"."%s"', "ptn"."nspname", "pt"."typname") END AS "database-type", "pa"."attnum" - 1 AS "database-position", "pn"."nspname" AS "table-schema", "pc"."relname" AS "table-name", FALSE AS "pk?", NULL AS "field-comment", FALSE AS "database-required", FALSE AS "database-is-auto-increment" FROM "pg_catalog"."pg_class" AS "pc" INNER JOIN "pg_catalog"."pg_namespace" AS "pn" ON "pn"."oid" = "pc"."relnamespace" INNER JOIN "pg_catalog"."pg_attribute" AS "pa" ON "pa"."attrelid" = "pc"."oid" INNER JOIN "pg_catalog"."pg_type" AS "pt" ON "pt"."oid" = "pa"."atttypid" INNER JOIN "pg_catalog"."pg_namespace" AS "ptn" ON "ptn"."oid" = "pt"."typnamespace" WHERE ("pc"."relkind" = 'm') AND ("pa"."attnum" >= 1) AND ("pn"."nspname" IN ('public')) AND ("pc"."relname" IN ('cpu')) ORDER BY "table-schema" ASC, "table-name" ASC, "database-position" ASC;
-- next
-- sync step 4: foreign keys (describe-fks-sql) for schema public, table cpu
-- expect: zero rows; columns fk-table-schema, fk-table-name, fk-column-name, pk-table-schema, pk-table-name, pk-column-name
-- check: rows = 0
-- check: columns fk-table-schema,fk-table-name,fk-column-name,pk-table-schema,pk-table-name,pk-column-name
SELECT "fk_ns"."nspname" AS "fk-table-schema", "fk_table"."relname" AS "fk-table-name", "fk_column"."attname" AS "fk-column-name", "pk_ns"."nspname" AS "pk-table-schema", "pk_table"."relname" AS "pk-table-name", "pk_column"."attname" AS "pk-column-name" FROM "pg_constraint" AS "c" INNER JOIN "pg_class" AS "fk_table" ON "c"."conrelid" = "fk_table"."oid" INNER JOIN "pg_namespace" AS "fk_ns" ON "c"."connamespace" = "fk_ns"."oid" INNER JOIN "pg_attribute" AS "fk_column" ON "c"."conrelid" = "fk_column"."attrelid" INNER JOIN "pg_class" AS "pk_table" ON "c"."confrelid" = "pk_table"."oid" INNER JOIN "pg_namespace" AS "pk_ns" ON "pk_table"."relnamespace" = "pk_ns"."oid" INNER JOIN "pg_attribute" AS "pk_column" ON "c"."confrelid" = "pk_column"."attrelid" WHERE fk_ns.nspname !~ '^information_schema|catalog_history|pg_' AND ("c"."contype" = 'f'::char) AND ("fk_column"."attnum" = ANY(c.conkey)) AND ("pk_column"."attnum" = ANY(c.confkey)) AND ("fk_table"."relname" IN ('cpu')) AND ("fk_ns"."nspname" IN ('public')) ORDER BY "fk-table-schema" ASC, "fk-table-name" ASC;
-- next
-- sync step 5: indexes (describe-indexes-sql) for schema public, table cpu
-- expect: zero rows (cpu has no index); columns table-schema, table-name, field-name
-- check: rows = 0
-- check: columns table-schema,table-name,field-name
SELECT "tmp"."table-schema", "tmp"."table-name", TRIM(BOTH '"' FROM PG_CATALOG.PG_GET_INDEXDEF("tmp"."ci_oid", "tmp"."pos", FALSE)) AS "field-name" FROM (SELECT "n"."nspname" AS "table-schema", "ct"."relname" AS "table-name", "ci"."oid" AS "ci_oid", (INFORMATION_SCHEMA._PG_EXPANDARRAY("i"."indkey"))."n" AS "pos" FROM "pg_catalog"."pg_class" AS "ct" INNER JOIN "pg_catalog"."pg_namespace" AS "n" ON "ct"."relnamespace" = "n"."oid" INNER JOIN "pg_catalog"."pg_index" AS "i" ON "ct"."oid" = "i"."indrelid" INNER JOIN "pg_catalog"."pg_class" AS "ci" ON "ci"."oid" = "i"."indexrelid" WHERE (PG_CATALOG.PG_GET_EXPR("i"."indpred", "i"."indrelid") IS NULL) AND n.nspname !~ '^information_schema|catalog_history|pg_' AND ("n"."nspname" IN ('public')) AND ("ct"."relname" IN ('cpu'))) AS "tmp" WHERE "tmp"."pos" = 1;

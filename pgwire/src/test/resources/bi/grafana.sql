-- Grafana PostgreSQL data source (grafana/grafana public/app/plugins/datasource/grafana-postgresql-datasource and pkg/tsdb/grafana-postgresql-datasource), transcribed from source.
-- Source, versions and caveats: docs/research/bi-tool-queries.md. Every statement below ran on PostgreSQL 15.18.
-- Setup: CREATE TABLE cpu(ts timestamp NOT NULL, hostname text, usage_user double precision) in schema public of database postgres.
-- Format: statements separated by a line containing only '-- next'; each is preceded by '-- <when it is sent>' and '-- expect: ...'.
-- The ';' that ends each statement is this file's terminator, not part of the text the client sends.
-- OID literal 16384 = OID of public.cpu on a fresh PostgreSQL cluster: a test must substitute the OID LumaDB reports for cpu.
-- LumaDB: BiToolQueriesTest runs every statement (database 'default' for 'postgres', cpu's real OID for 16384,
-- cpu holding three rows) and checks each '-- check:' line; the DSL is described in that test's javadoc.

-- configuration page, new data source (useAutoDetectFeatures -> datasource.getVersion)
-- expect: one row, column version = 1500 (server_version_num / 100 for a 15.x server)
-- check: columns version
-- check: column version = 1500
SELECT current_setting('server_version_num')::int/100 as version;
-- next
-- configuration page, after getVersion when version >= 906 and TimescaleDB is not yet enabled (getTimescaleDBVersion)
-- expect: zero rows, column extversion
-- check: rows = 0
-- check: columns extversion
SELECT extversion FROM pg_extension WHERE extname = 'timescaledb';
-- next
-- query editor: table dropdown and SQL autocomplete (fetchTables -> showTables() without schema, the default form)
-- expect: a row with table = cpu (cpu is in schema public, which is on the search_path, so it is not schema-qualified); no row from pg_catalog or information_schema
-- check: column table has cpu
-- check: column table lacks pg_class
-- check: column table lacks pg_catalog.pg_class
-- check: column table lacks information_schema.tables
-- check: column table lacks tables
SELECT
    CASE WHEN 
          quote_ident(table_schema) IN (
          SELECT
            CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
          FROM
            generate_series(
              array_lower(string_to_array(current_setting('search_path'),','),1),
              array_upper(string_to_array(current_setting('search_path'),','),1)
            ) as i,
            string_to_array(current_setting('search_path'),',') s
          )
      THEN quote_ident(table_name)
      ELSE quote_ident(table_schema) || '.' || quote_ident(table_name)
    END AS "table"
    FROM information_schema.tables
    WHERE quote_ident(table_schema) NOT IN ('information_schema',
                             'pg_catalog',
                             '_timescaledb_cache',
                             '_timescaledb_catalog',
                             '_timescaledb_internal',
                             '_timescaledb_config',
                             'timescaledb_information',
                             'timescaledb_experimental')
    ORDER BY CASE WHEN 
          quote_ident(table_schema) IN (
          SELECT
            CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
          FROM
            generate_series(
              array_lower(string_to_array(current_setting('search_path'),','),1),
              array_upper(string_to_array(current_setting('search_path'),','),1)
            ) as i,
            string_to_array(current_setting('search_path'),',') s
          )
       THEN 0 ELSE 1 END, 1;
-- next
-- query editor: column dropdown / autocomplete after table cpu is picked (fetchFields -> getSchema('cpu'))
-- expect: three rows: (column = ts, type = timestamp without time zone), (hostname, text), (usage_user, double precision)
-- check: columns column,type
-- check: column column = ts,hostname,usage_user
-- check: column type = timestamp without time zone,text,double precision
SELECT quote_ident(column_name) AS "column", data_type AS "type"
    FROM information_schema.columns
    WHERE
      CASE WHEN array_length(parse_ident('cpu'),1) = 2
        THEN quote_ident(table_schema) = (parse_ident('cpu'))[1]
          AND quote_ident(table_name) = (parse_ident('cpu'))[2]
        ELSE quote_ident(table_name) = 'cpu'
          AND 
          quote_ident(table_schema) IN (
          SELECT
            CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
          FROM
            generate_series(
              array_lower(string_to_array(current_setting('search_path'),','),1),
              array_upper(string_to_array(current_setting('search_path'),','),1)
            ) as i,
            string_to_array(current_setting('search_path'),',') s
          )
      END;
-- next
-- query editor: same, when the table was picked schema-qualified as public.cpu (getSchema('public.cpu'))
-- expect: the same three rows as above
-- check: columns column,type
-- check: column column = ts,hostname,usage_user
-- check: column type = timestamp without time zone,text,double precision
SELECT quote_ident(column_name) AS "column", data_type AS "type"
    FROM information_schema.columns
    WHERE
      CASE WHEN array_length(parse_ident('public.cpu'),1) = 2
        THEN quote_ident(table_schema) = (parse_ident('public.cpu'))[1]
          AND quote_ident(table_name) = (parse_ident('public.cpu'))[2]
        ELSE quote_ident(table_name) = 'public.cpu'
          AND 
          quote_ident(table_schema) IN (
          SELECT
            CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
          FROM
            generate_series(
              array_lower(string_to_array(current_setting('search_path'),','),1),
              array_upper(string_to_array(current_setting('search_path'),','),1)
            ) as i,
            string_to_array(current_setting('search_path'),',') s
          )
      END;
-- next
-- showTables(schema) form, when a schema is given (showTables('public'))
-- expect: a row with table = cpu
-- check: column table has cpu
-- check: column table lacks pg_class
-- check: ordered by table
SELECT quote_ident(table_name) AS "table"
      FROM information_schema.tables
      WHERE quote_ident(table_schema) = 'public'
      ORDER BY 1;
-- next
-- backend schema API (pkg/tsdb/grafana-postgresql-datasource/schema.go, Grafana 12.x SQL-expressions/schemads): list schemas
-- expect: a row with schema_name = public; no pg_* schema and no information_schema
-- check: column schema_name has public
-- check: column schema_name lacks pg_catalog
-- check: column schema_name lacks information_schema
-- check: ordered by schema_name
SELECT schema_name FROM information_schema.schemata
		 WHERE schema_name NOT LIKE 'pg_%' AND schema_name != 'information_schema'
		 ORDER BY schema_name;
-- next
-- backend schema API: list tables of a schema; $1 = 'public' inlined
-- expect: a row with table_name = cpu
-- check: column table_name has cpu
-- check: column table_name lacks pg_class
-- check: ordered by table_name
SELECT table_name FROM information_schema.tables
		 WHERE table_schema = 'public' AND table_type IN ('BASE TABLE', 'VIEW')
		 ORDER BY table_name;
-- next
-- backend schema API: columns of a table; $1 = 'public', $2 = 'cpu' inlined
-- expect: three rows in order: (ts, timestamp without time zone, timestamp, NULL, NULL), (hostname, text, text, NULL, NULL), (usage_user, double precision, float8, 53, NULL)
-- check: column column_name = ts,hostname,usage_user
-- check: column data_type = timestamp without time zone,text,double precision
-- check: column udt_name = timestamp,text,float8
-- check: column numeric_precision = NULL,NULL,53
-- check: column numeric_scale = NULL,NULL,NULL
SELECT column_name, data_type, udt_name, numeric_precision, numeric_scale
		 FROM information_schema.columns
		 WHERE table_schema = 'public' AND table_name = 'cpu'
		 ORDER BY ordinal_position;
-- next
-- backend schema API: distinct values of a column for filter suggestions (ColumnValues, columns = [hostname])
-- expect: zero rows on an empty cpu; otherwise one row per distinct non-null hostname with col_name = hostname
-- check: columns col_name,val
-- check: column val = host_a,host_b
-- check: column col_name all hostname
SELECT 'hostname' AS col_name, "hostname"::text AS val FROM (SELECT DISTINCT "hostname" FROM "public"."cpu" WHERE "hostname" IS NOT NULL ORDER BY "hostname" LIMIT 100) sub_0;
-- next
-- panel query with macros, as the backend sends it after interpolation: SELECT $__timeGroupAlias(ts, '1m'), avg(usage_user) AS "usage_user" FROM cpu WHERE $__timeFilter(ts) GROUP BY 1 ORDER BY 1 (timescaledb off, time range 2024-01-01T00:00:00Z to 01:00:00Z)
-- expect: columns time (double precision) and usage_user; zero rows on an empty cpu
-- check: columns time,usage_user
-- check: column time = 1704067200,1704067260
-- check: column usage_user = 10.5,20.5
SELECT floor(extract(epoch from ts)/60)*60 AS "time", avg(usage_user) AS "usage_user" FROM cpu WHERE ts BETWEEN '2024-01-01T00:00:00Z' AND '2024-01-01T01:00:00Z' GROUP BY 1 ORDER BY 1;
-- next
-- panel query with the other macros expanded, as sent after interpolation: SELECT $__time(ts), usage_user FROM cpu WHERE ts >= $__timeFrom() AND ts <= $__timeTo() (same time range)
-- expect: columns time and usage_user; zero rows on an empty cpu
-- check: columns time,usage_user
-- check: rows = 2
-- check: column usage_user = 10.5,20.5
SELECT ts AS "time", usage_user FROM cpu WHERE ts >= '2024-01-01T00:00:00Z' AND ts <= '2024-01-01T01:00:00Z';

-- DBeaver PostgreSQL plugin (dbeaver/dbeaver plugins/org.jkiss.dbeaver.ext.postgresql), transcribed from source; bound parameters are inlined.
-- Source, versions and caveats: docs/research/bi-tool-queries.md. Every statement below ran on PostgreSQL 15.18.
-- Setup: CREATE TABLE cpu(ts timestamp NOT NULL, hostname text, usage_user double precision) in schema public of database postgres.
-- Format: statements separated by a line containing only '-- next'; each is preceded by '-- <when it is sent>' and '-- expect: ...'.
-- The ';' that ends each statement is this file's terminator, not part of the text the client sends.
-- OID literal 16384 = OID of public.cpu on a fresh PostgreSQL cluster: a test must substitute the OID LumaDB reports for cpu.
-- LumaDB: BiToolQueriesTest runs every statement (database 'default' for 'postgres', cpu's real OID for 16384,
-- cpu holding three rows) and checks each '-- check:' line; the DSL is described in that test's javadoc.

-- on connect, right after pgjdbc's startup: DBeaver sets the client info (pgjdbc turns Connection.setClientInfo("ApplicationName") into this simple Query)
-- expect: CommandComplete SET and ParameterStatus application_name
-- check: update
SET application_name = 'DBeaver 25.3.3 - Main <postgres>';
-- next
-- on connect (PostgreDatabase.readDatabaseInfo), extended protocol, $1 = 'postgres' (the connection's database) inlined here
-- expect: one row with datname = postgres; the select list has oid twice (db.oid and oid from db.*), then datname, datdba, encoding, ...
-- check: rows = 1
-- check: column datname = default
-- check: columns include oid,datname,datdba,encoding,datistemplate,datallowconn
SELECT db.oid,db.* FROM pg_catalog.pg_database db WHERE datname='postgres';
-- next
-- on connect (PostgreDataSource.initializeRemoteInstance preloads a setting), $1 = 'standard_conforming_strings' inlined
-- expect: one row, name = standard_conforming_strings, setting = on
-- check: rows = 1
-- check: row name=standard_conforming_strings setting=on
select * from pg_catalog.pg_settings where name='standard_conforming_strings';
-- next
-- on connect, for every new execution context (PostgreExecutionContext.refreshDefaults)
-- expect: one row, current_schema = public, session_user = the login user
-- check: rows = 1
-- check: column current_schema = public
-- check: column session_user = lumadb
SELECT current_schema(),session_user;
-- next
-- on connect, right after the previous statement (refreshDefaults reads the search path)
-- expect: one row, search_path = "$user", public
-- check: rows = 1
-- check: column search_path starts public
SHOW search_path;
-- next
-- on connect (PostgreDataSource.initialize: server version string for the UI)
-- expect: one row, version starting with PostgreSQL
-- check: column version starts PostgreSQL
SELECT version();
-- next
-- on connect (PostgreDatabase.cacheDataTypes, server >= 10 so no typcategory probe)
-- expect: many rows; a row with typname = text (oid 25), typname = float8 (oid 701), typname = timestamp (oid 1114); no row with relkind other than NULL or c
-- check: rows >= 20
-- check: row typname=text oid=25
-- check: row typname=float8 oid=701
-- check: row typname=timestamp oid=1114
-- check: column relkind lacks r
-- check: column relkind lacks v
SELECT t.oid,t.*,c.relkind,format_type(nullif(t.typbasetype, 0), t.typtypmod) as base_type_name, d.description
FROM pg_catalog.pg_type t
LEFT OUTER JOIN pg_catalog.pg_type et ON et.oid=t.typelem 
LEFT OUTER JOIN pg_catalog.pg_class c ON c.oid=t.typrelid
LEFT OUTER JOIN pg_catalog.pg_description d ON t.oid=d.objoid
WHERE t.typname IS NOT NULL
AND (c.relkind IS NULL OR c.relkind = 'c') AND (et.typcategory IS NULL OR et.typcategory <> 'C');
-- next
-- when the navigator expands the database (PostgreDatabase schema cache)
-- expect: rows ordered by nspname with public (oid 2200), pg_catalog (oid 11), information_schema; description of pg_catalog = system catalog schema
-- check: ordered by nspname
-- check: row nspname=public oid=2200
-- check: row nspname=pg_catalog oid=11 description=system catalog schema
-- check: column nspname has information_schema
SELECT n.oid,n.*,d.description FROM pg_catalog.pg_namespace n
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=n.oid AND d.objsubid=0 AND d.classoid='pg_namespace'::regclass
 ORDER BY nspname;
-- next
-- when the navigator expands schema public (PostgreSchema.TableCache), server >= 10; $1 = oid of schema public (2200) inlined
-- expect: a row with relname = cpu, relkind = r, relnamespace = 2200
-- check: row relname=cpu relkind=r relnamespace=2200 oid=$cpu
-- check: column relnamespace all 2200
-- check: column relname lacks pg_class
SELECT c.oid,c.*,d.description,pg_catalog.pg_get_expr(c.relpartbound, c.oid) as partition_expr,  pg_catalog.pg_get_partkeydef(c.oid) as partition_key 
FROM pg_catalog.pg_class c
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=c.oid AND d.objsubid=0 AND d.classoid='pg_class'::regclass
WHERE c.relnamespace=2200 AND c.relkind not in ('i','I','c');
-- next
-- when the navigator expands table cpu (PostgreSchema.TableCache children: columns); $1 = oid of public.cpu. 16384 is that OID on a fresh cluster; a test must substitute the OID LumaDB gives cpu
-- expect: nine rows ordered by attnum: the system columns tableoid, cmax, xmax, cmin, xmin, ctid (attnum -6..-1; DBeaver skips attnum <= 0 itself) then ts, hostname, usage_user (attnum 1, 2, 3; atttypid 1114, 25, 701; attnotnull t, f, f); relname = cpu on every row
-- check: column attname = ts,hostname,usage_user
-- check: column attnum = 1,2,3
-- check: column atttypid = 1114,25,701
-- check: column attnotnull = t,f,f
-- check: column relname all cpu
SELECT c.relname,a.*,pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true) as def_value,dsc.description,dep.objid
FROM pg_catalog.pg_attribute a
INNER JOIN pg_catalog.pg_class c ON (a.attrelid=c.oid)
LEFT OUTER JOIN pg_catalog.pg_attrdef ad ON (a.attrelid=ad.adrelid AND a.attnum = ad.adnum)
LEFT OUTER JOIN pg_catalog.pg_description dsc ON (c.oid=dsc.objoid AND a.attnum = dsc.objsubid)
LEFT OUTER JOIN pg_depend dep on dep.refobjid = a.attrelid AND dep.deptype = 'i' and dep.refobjsubid = a.attnum and dep.classid = dep.refclassid
WHERE NOT a.attisdropped AND c.relkind not in ('i','I','c') AND c.oid=16384
ORDER BY a.attnum;
-- next
-- when the navigator lists all columns of schema public at once (same cache, forTable == null); $1 = 2200 inlined
-- expect: for cpu nine rows as above (system columns tableoid..ctid, then ts, hostname, usage_user), relname = cpu; rows of other tables of public follow if there are any
-- check: row relname=cpu attname=ts attnum=1 atttypid=1114
-- check: row relname=cpu attname=hostname attnum=2
-- check: row relname=cpu attname=usage_user attnum=3
-- check: column relname lacks pg_class
-- check: ordered by attnum
SELECT c.relname,a.*,pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true) as def_value,dsc.description,dep.objid
FROM pg_catalog.pg_attribute a
INNER JOIN pg_catalog.pg_class c ON (a.attrelid=c.oid)
LEFT OUTER JOIN pg_catalog.pg_attrdef ad ON (a.attrelid=ad.adrelid AND a.attnum = ad.adnum)
LEFT OUTER JOIN pg_catalog.pg_description dsc ON (c.oid=dsc.objoid AND a.attnum = dsc.objsubid)
LEFT OUTER JOIN pg_depend dep on dep.refobjid = a.attrelid AND dep.deptype = 'i' and dep.refobjsubid = a.attnum and dep.classid = dep.refclassid
WHERE NOT a.attisdropped AND c.relkind not in ('i','I','c') AND c.relnamespace=2200
ORDER BY a.attnum;
-- next
-- when the table's Constraints tab or the ER diagram is opened (PostgreSchema.ConstraintCache, forParent = cpu); $1 = oid of public.cpu (16384 on a fresh cluster, substitute)
-- expect: zero rows (cpu has no constraints; NOT NULL is not a pg_constraint row in PG 15)
-- check: rows = 0
-- check: columns include oid,conname,contype,tabrelname,refnamespace,description,consrc_copy
SELECT c.oid,c.*,t.relname as tabrelname,rt.relnamespace as refnamespace,d.description, case when c.contype='c' then "substring"(pg_get_constraintdef(c.oid), 7) else null end consrc_copy
FROM pg_catalog.pg_constraint c
INNER JOIN pg_catalog.pg_class t ON t.oid=c.conrelid
LEFT OUTER JOIN pg_catalog.pg_class rt ON rt.oid=c.confrelid
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=c.oid AND d.objsubid=0 AND d.classoid='pg_constraint'::regclass
WHERE c.conrelid=16384
ORDER BY c.oid;
-- next
-- when the table's Indexes tab is opened (PostgreSchema.IndexCache, forTable = cpu); $1 = oid of public.cpu (16384 on a fresh cluster, substitute)
-- expect: zero rows (cpu has no index)
-- check: rows = 0
-- check: columns include indexrelid,keys,relname,tabrelname,pred_expr,expr,index_rel_size,index_num_scans
SELECT i.*,i.indkey as keys,c.relname,c.relnamespace,c.relam,c.reltablespace,tc.relname as tabrelname,dsc.description,pg_catalog.pg_get_expr(i.indpred, i.indrelid) as pred_expr,pg_catalog.pg_get_expr(i.indexprs, i.indrelid, true) as expr,pg_catalog.pg_relation_size(i.indexrelid) as index_rel_size,pg_catalog.pg_stat_get_numscans(i.indexrelid) as index_num_scans
FROM pg_catalog.pg_index i
INNER JOIN pg_catalog.pg_class c ON c.oid=i.indexrelid
INNER JOIN pg_catalog.pg_class tc ON tc.oid=i.indrelid
LEFT OUTER JOIN pg_catalog.pg_description dsc ON i.indexrelid=dsc.objoid
WHERE  i.indrelid=16384 ORDER BY c.relname;
-- next
-- when DBeaver meets a type OID that is not cached (PostgreDataTypeCache.resolveDataType by OID); $1 = 701 inlined
-- expect: one row, typname = float8, base_type_name NULL, relkind NULL
-- check: rows = 1
-- check: row typname=float8 base_type_name=NULL relkind=NULL oid=701
SELECT t.oid,t.*,c.relkind,format_type(nullif(t.typbasetype, 0), t.typtypmod) as base_type_name FROM pg_catalog.pg_type t
LEFT OUTER JOIN pg_class c ON c.oid=t.typrelid
WHERE t.oid=701;

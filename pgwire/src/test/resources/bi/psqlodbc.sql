-- psqlODBC 13.02.0000 (Debian odbc-postgresql, Unicode driver) as driven by pyodbc 4.0.34; captured from PostgreSQL 15 log_statement=all. Tableau uses psqlODBC for PostgreSQL.
-- Source, versions and caveats: docs/research/bi-tool-queries.md. Every statement below ran on PostgreSQL 15.18.
-- Setup: CREATE TABLE cpu(ts timestamp NOT NULL, hostname text, usage_user double precision) in schema public of database postgres.
-- Format: statements separated by a line containing only '-- next'; each is preceded by '-- <when it is sent>' and '-- expect: ...'.
-- The ';' that ends each statement is this file's terminator, not part of the text the client sends.
-- OID literal 16384 = OID of public.cpu on a fresh PostgreSQL cluster: a test must substitute the OID LumaDB reports for cpu.
-- LumaDB: BiToolQueriesTest runs every statement (database 'default' for 'postgres', cpu's real OID for 16384,
-- cpu holding three rows) and checks each '-- check:' line; the DSL is described in that test's javadoc.

-- on connect (SQLConnect/SQLDriverConnect), one simple Query with three statements
-- expect: CommandComplete SET, CommandComplete SET, then one row with column transaction_isolation = read committed
-- check: wire C,C,T,D,C
-- check: column transaction_isolation = read committed
SET DateStyle = 'ISO';SET extra_float_digits = 2;show transaction_isolation;
-- next
-- on connect, right after the settings (CC_lookup_lo)
-- expect: zero rows (no lo type), columns oid, typbasetype
-- check: rows = 0
-- check: columns oid,typbasetype
select oid, typbasetype from pg_type where typname = 'lo';
-- next
-- SQLGetInfo(SQL_MAX_COLUMN_NAME_LEN / SQL_MAX_TABLE_NAME_LEN ...), first call only (CC_get_max_idlen)
-- expect: one row, max_identifier_length = 63
-- check: column max_identifier_length = 63
show max_identifier_length;
-- next
-- SQLTables(catalog='%', schema='', table='') - list catalogs (Tableau's database list)
-- expect: one row of three NULLs
-- check: rows = 1
-- check: row #1=NULL #2=NULL #3=NULL
select NULL, NULL, NULL;
-- next
-- SQLTables(catalog='', schema='%', table='') - list schemas
-- expect: a row with nspname = public; no row for pg_catalog, information_schema or pg_toast
-- check: column nspname has public
-- check: column nspname lacks pg_catalog
-- check: column nspname lacks information_schema
-- check: column nspname lacks pg_toast
-- check: ordered by nspname
select NULL, nspname, NULL from pg_catalog.pg_namespace n where true and nspname not in ('pg_catalog', 'information_schema', 'pg_toast', 'pg_temp_1') order by nspname;
-- next
-- SQLTables(catalog='', schema='', table='', type='%') - list table types
-- expect: five rows, relkind values r, v, m, f, p
-- check: rows = 5
-- check: column relkind has r
-- check: column relkind has v
-- check: column relkind has m
-- check: column relkind has f
-- check: column relkind has p
select NULL, NULL, relkind from (select 'r' as relkind union select 'v' union select 'm' union select 'f' union select 'p') as a;
-- next
-- SQLTables(NULL, NULL, NULL, NULL) - list all tables
-- expect: a row with relname = cpu, nspname = public, relkind = r
-- check: row relname=cpu nspname=public relkind=r
-- check: column nspname lacks pg_catalog
-- check: column nspname lacks information_schema
select relname, nspname, relkind from pg_catalog.pg_class c, pg_catalog.pg_namespace n where relkind in ('r', 'v', 'm', 'f', 'p') and nspname not in ('pg_catalog', 'information_schema', 'pg_toast', 'pg_temp_1') and n.oid = relnamespace order by nspname, relname;
-- next
-- SQLTables(NULL, 'public', NULL, 'TABLE,VIEW') - list tables of schema public
-- expect: a row with relname = cpu, nspname = public, relkind = r
-- check: row relname=cpu nspname=public relkind=r
-- check: column nspname all public
select relname, nspname, relkind from pg_catalog.pg_class c, pg_catalog.pg_namespace n where relkind in ('r', 'v', 'm', 'f', 'p') and nspname like 'public' and nspname not in ('pg_catalog', 'information_schema', 'pg_toast', 'pg_temp_1') and n.oid = relnamespace order by nspname, relname;
-- next
-- SQLColumns(NULL, 'public', 'cpu', NULL) - list columns
-- expect: three rows, attname ts, hostname, usage_user in that order; atttypid 1114, 25, 701; typname timestamp, text, float8; attnum 1, 2, 3; attnotnull t, f, f; relkind r
-- check: column attname = ts,hostname,usage_user
-- check: column atttypid = 1114,25,701
-- check: column typname = timestamp,text,float8
-- check: column attnum = 1,2,3
-- check: column attlen = 8,-1,8
-- check: column attnotnull = t,f,f
-- check: column relkind all r
-- check: column oid all $cpu
-- check: column nspname all public
select n.nspname, c.relname, a.attname, a.atttypid, t.typname, a.attnum, a.attlen, a.atttypmod, a.attnotnull, c.relhasrules, c.relkind, c.oid, pg_get_expr(d.adbin, d.adrelid), case t.typtype when 'd' then t.typbasetype else 0 end, t.typtypmod, 0, attidentity, c.relhassubclass from (((pg_catalog.pg_class c inner join pg_catalog.pg_namespace n on n.oid = c.relnamespace and c.relname like 'cpu' and n.nspname like 'public') inner join pg_catalog.pg_attribute a on (not a.attisdropped) and a.attnum > 0 and a.attrelid = c.oid) inner join pg_catalog.pg_type t on t.oid = a.atttypid) left outer join pg_attrdef d on a.atthasdef and d.adrelid = a.attrelid and d.adnum = a.attnum order by n.nspname, c.relname, attnum;
-- next
-- SQLPrimaryKeys(NULL, 'public', 'cpu') - first query (indisprimary)
-- expect: zero rows (cpu has no primary key)
-- check: rows = 0
-- check: columns attname,attnum,relname,nspname,relname
select ta.attname, ia.attnum, ic.relname, n.nspname, tc.relname from pg_catalog.pg_attribute ta, pg_catalog.pg_attribute ia, pg_catalog.pg_class tc, pg_catalog.pg_index i, pg_catalog.pg_namespace n, pg_catalog.pg_class ic where tc.relname = 'cpu' AND n.nspname = 'public' AND tc.oid = i.indrelid AND n.oid = tc.relnamespace AND i.indisprimary = 't' AND ia.attrelid = i.indexrelid AND ta.attrelid = i.indrelid AND ta.attnum = i.indkey[ia.attnum-1] AND (NOT ta.attisdropped) AND (NOT ia.attisdropped) AND ic.oid = i.indexrelid order by ia.attnum;
-- next
-- SQLPrimaryKeys(NULL, 'public', 'cpu') - fallback when the first query found nothing: looks for an index named <table>_pkey
-- expect: zero rows
-- check: rows = 0
select ta.attname, ia.attnum, ic.relname, n.nspname, NULL from pg_catalog.pg_attribute ta, pg_catalog.pg_attribute ia, pg_catalog.pg_class ic, pg_catalog.pg_index i, pg_catalog.pg_namespace n where ic.relname = 'cpu_pkey' AND n.nspname = 'public' AND ic.oid = i.indexrelid AND n.oid = ic.relnamespace AND ia.attrelid = i.indexrelid AND ta.attrelid = i.indrelid AND ta.attnum = i.indkey[ia.attnum-1] AND (NOT ta.attisdropped) AND (NOT ia.attisdropped) order by ia.attnum;
-- next
-- SQLForeignKeys(PKTable='public'.'cpu') - foreign keys that reference cpu
-- expect: zero rows; 14 columns PKTABLE_CAT ... DEFERRABILITY
-- check: rows = 0
-- check: columns PKTABLE_CAT,PKTABLE_SCHEM,PKTABLE_NAME,PKCOLUMN_NAME,FKTABLE_CAT,FKTABLE_SCHEM,FKTABLE_NAME,FKCOLUMN_NAME,KEY_SEQ,UPDATE_RULE,DELETE_RULE,FK_NAME,PK_NAME,DEFERRABILITY
select	'postgres'::name as "PKTABLE_CAT",
		n2.nspname as "PKTABLE_SCHEM",
		c2.relname as "PKTABLE_NAME",
		a2.attname as "PKCOLUMN_NAME",
		'postgres'::name as "FKTABLE_CAT",
		n1.nspname as "FKTABLE_SCHEM",
		c1.relname as "FKTABLE_NAME",
		a1.attname as "FKCOLUMN_NAME",
		i::int2 as "KEY_SEQ",
		case ref.confupdtype
			when 'c' then 0::int2
			when 'n' then 2::int2
			when 'd' then 4::int2
			when 'r' then 1::int2
			else 3::int2
		end as "UPDATE_RULE",
		case ref.confdeltype
			when 'c' then 0::int2
			when 'n' then 2::int2
			when 'd' then 4::int2
			when 'r' then 1::int2
			else 3::int2
		end as "DELETE_RULE",
		ref.conname as "FK_NAME",
		cn.conname as "PK_NAME",
		case
			when ref.condeferrable then
				case
				when ref.condeferred then 5::int2
				else 6::int2
				end
			else 7::int2
		end as "DEFERRABILITY"
	 from
	 ((((((( (select cn.oid, conrelid, conkey, confrelid, confkey,
		 generate_series(array_lower(conkey, 1), array_upper(conkey, 1)) as i,
		 confupdtype, confdeltype, conname,
		 condeferrable, condeferred
	  from pg_catalog.pg_constraint cn,
		pg_catalog.pg_class c,
		pg_catalog.pg_namespace n
	  where contype = 'f' 
	   and  confrelid = c.oid
	   and  relname = 'cpu'
	   and  n.oid = c.relnamespace
	   and  n.nspname = 'public'
	 ) ref
	 inner join pg_catalog.pg_class c1
	  on c1.oid = ref.conrelid)
	 inner join pg_catalog.pg_namespace n1
	  on  n1.oid = c1.relnamespace)
	 inner join pg_catalog.pg_attribute a1
	  on  a1.attrelid = c1.oid
	  and  a1.attnum = conkey[i])
	 inner join pg_catalog.pg_class c2
	  on  c2.oid = ref.confrelid)
	 inner join pg_catalog.pg_namespace n2
	  on  n2.oid = c2.relnamespace)
	 inner join pg_catalog.pg_attribute a2
	  on  a2.attrelid = c2.oid
	  and  a2.attnum = confkey[i])
	 left outer join pg_catalog.pg_constraint cn
	  on cn.conrelid = ref.confrelid
	  and cn.contype = 'p')
	  order by ref.oid, ref.i;
-- next
-- after the SQLForeignKeys result arrives, when the application describes its columns: SQLColumns by OID of pg_namespace (search_by_ids)
-- expect: rows for the pg_namespace columns oid, nspname, nspowner, nspacl
-- check: column attname = oid,nspname,nspowner,nspacl
-- check: column relname all pg_namespace
-- check: column nspname all pg_catalog
-- check: column attnum = 1,2,3,4
select n.nspname, c.relname, a.attname, a.atttypid, t.typname, a.attnum, a.attlen, a.atttypmod, a.attnotnull, c.relhasrules, c.relkind, c.oid, pg_get_expr(d.adbin, d.adrelid), case t.typtype when 'd' then t.typbasetype else 0 end, t.typtypmod, 0, attidentity, c.relhassubclass from (((pg_catalog.pg_class c inner join pg_catalog.pg_namespace n on n.oid = c.relnamespace and c.oid = 2615) inner join pg_catalog.pg_attribute a on (not a.attisdropped) and a.attnum > 0 and a.attrelid = c.oid) inner join pg_catalog.pg_type t on t.oid = a.atttypid) left outer join pg_attrdef d on a.atthasdef and d.adrelid = a.attrelid and d.adnum = a.attnum order by n.nspname, c.relname, attnum;
-- next
-- same, for pg_class (OID 1259)
-- expect: rows for the pg_class columns, among them oid, relname, relnamespace, relkind
-- check: rows >= 30
-- check: column relname all pg_class
-- check: column attname has oid
-- check: column attname has relname
-- check: column attname has relnamespace
-- check: column attname has relkind
select n.nspname, c.relname, a.attname, a.atttypid, t.typname, a.attnum, a.attlen, a.atttypmod, a.attnotnull, c.relhasrules, c.relkind, c.oid, pg_get_expr(d.adbin, d.adrelid), case t.typtype when 'd' then t.typbasetype else 0 end, t.typtypmod, 0, attidentity, c.relhassubclass from (((pg_catalog.pg_class c inner join pg_catalog.pg_namespace n on n.oid = c.relnamespace and c.oid = 1259) inner join pg_catalog.pg_attribute a on (not a.attisdropped) and a.attnum > 0 and a.attrelid = c.oid) inner join pg_catalog.pg_type t on t.oid = a.atttypid) left outer join pg_attrdef d on a.atthasdef and d.adrelid = a.attrelid and d.adnum = a.attnum order by n.nspname, c.relname, attnum;
-- next
-- same, for pg_attribute (OID 1249)
-- expect: rows for the pg_attribute columns, among them attrelid, attname, atttypid, attnum
-- check: rows >= 20
-- check: column relname all pg_attribute
-- check: column attname has attrelid
-- check: column attname has attname
-- check: column attname has atttypid
-- check: column attname has attnum
select n.nspname, c.relname, a.attname, a.atttypid, t.typname, a.attnum, a.attlen, a.atttypmod, a.attnotnull, c.relhasrules, c.relkind, c.oid, pg_get_expr(d.adbin, d.adrelid), case t.typtype when 'd' then t.typbasetype else 0 end, t.typtypmod, 0, attidentity, c.relhassubclass from (((pg_catalog.pg_class c inner join pg_catalog.pg_namespace n on n.oid = c.relnamespace and c.oid = 1249) inner join pg_catalog.pg_attribute a on (not a.attisdropped) and a.attnum > 0 and a.attrelid = c.oid) inner join pg_catalog.pg_type t on t.oid = a.atttypid) left outer join pg_attrdef d on a.atthasdef and d.adrelid = a.attrelid and d.adnum = a.attnum order by n.nspname, c.relname, attnum;
-- next
-- same, for pg_constraint (OID 2606)
-- expect: rows for the pg_constraint columns, among them oid, conname, contype, conrelid, conkey
-- check: rows >= 20
-- check: column relname all pg_constraint
-- check: column attname has oid
-- check: column attname has conname
-- check: column attname has contype
-- check: column attname has conrelid
-- check: column attname has conkey
select n.nspname, c.relname, a.attname, a.atttypid, t.typname, a.attnum, a.attlen, a.atttypmod, a.attnotnull, c.relhasrules, c.relkind, c.oid, pg_get_expr(d.adbin, d.adrelid), case t.typtype when 'd' then t.typbasetype else 0 end, t.typtypmod, 0, attidentity, c.relhassubclass from (((pg_catalog.pg_class c inner join pg_catalog.pg_namespace n on n.oid = c.relnamespace and c.oid = 2606) inner join pg_catalog.pg_attribute a on (not a.attisdropped) and a.attnum > 0 and a.attrelid = c.oid) inner join pg_catalog.pg_type t on t.oid = a.atttypid) left outer join pg_attrdef d on a.atthasdef and d.adrelid = a.attrelid and d.adnum = a.attnum order by n.nspname, c.relname, attnum;
-- next
-- SQLForeignKeys(FKTable='public'.'cpu') - foreign keys of cpu
-- expect: zero rows
-- check: rows = 0
-- check: columns PKTABLE_CAT,PKTABLE_SCHEM,PKTABLE_NAME,PKCOLUMN_NAME,FKTABLE_CAT,FKTABLE_SCHEM,FKTABLE_NAME,FKCOLUMN_NAME,KEY_SEQ,UPDATE_RULE,DELETE_RULE,FK_NAME,PK_NAME,DEFERRABILITY
select	'postgres'::name as "PKTABLE_CAT",
		n2.nspname as "PKTABLE_SCHEM",
		c2.relname as "PKTABLE_NAME",
		a2.attname as "PKCOLUMN_NAME",
		'postgres'::name as "FKTABLE_CAT",
		n1.nspname as "FKTABLE_SCHEM",
		c1.relname as "FKTABLE_NAME",
		a1.attname as "FKCOLUMN_NAME",
		i::int2 as "KEY_SEQ",
		case ref.confupdtype
			when 'c' then 0::int2
			when 'n' then 2::int2
			when 'd' then 4::int2
			when 'r' then 1::int2
			else 3::int2
		end as "UPDATE_RULE",
		case ref.confdeltype
			when 'c' then 0::int2
			when 'n' then 2::int2
			when 'd' then 4::int2
			when 'r' then 1::int2
			else 3::int2
		end as "DELETE_RULE",
		ref.conname as "FK_NAME",
		cn.conname as "PK_NAME",
		case
			when ref.condeferrable then
				case
				when ref.condeferred then 5::int2
				else 6::int2
				end
			else 7::int2
		end as "DEFERRABILITY"
	 from
	 ((((((( (select cn.oid, conrelid, conkey, confrelid, confkey,
		 generate_series(array_lower(conkey, 1), array_upper(conkey, 1)) as i,
		 confupdtype, confdeltype, conname,
		 condeferrable, condeferred
	  from pg_catalog.pg_constraint cn,
		pg_catalog.pg_class c,
		pg_catalog.pg_namespace n
	  where contype = 'f' 
	   and  conrelid = c.oid
	   and  relname = 'cpu'
	   and  n.oid = c.relnamespace
	   and  n.nspname = 'public'
	 ) ref
	 inner join pg_catalog.pg_class c1
	  on c1.oid = ref.conrelid)
	 inner join pg_catalog.pg_namespace n1
	  on  n1.oid = c1.relnamespace)
	 inner join pg_catalog.pg_attribute a1
	  on  a1.attrelid = c1.oid
	  and  a1.attnum = conkey[i])
	 inner join pg_catalog.pg_class c2
	  on  c2.oid = ref.confrelid)
	 inner join pg_catalog.pg_namespace n2
	  on  n2.oid = c2.relnamespace)
	 inner join pg_catalog.pg_attribute a2
	  on  a2.attrelid = c2.oid
	  and  a2.attnum = confkey[i])
	 left outer join pg_catalog.pg_constraint cn
	  on cn.conrelid = ref.confrelid
	  and cn.contype = 'p')
	  order by ref.oid, ref.i;
-- next
-- SQLStatistics(NULL, 'public', 'cpu') - first a column lookup with = instead of like
-- expect: three rows, attname ts, hostname, usage_user
-- check: column attname = ts,hostname,usage_user
-- check: column attnum = 1,2,3
-- check: column relname all cpu
select n.nspname, c.relname, a.attname, a.atttypid, t.typname, a.attnum, a.attlen, a.atttypmod, a.attnotnull, c.relhasrules, c.relkind, c.oid, pg_get_expr(d.adbin, d.adrelid), case t.typtype when 'd' then t.typbasetype else 0 end, t.typtypmod, 0, attidentity, c.relhassubclass from (((pg_catalog.pg_class c inner join pg_catalog.pg_namespace n on n.oid = c.relnamespace and c.relname = 'cpu' and n.nspname = 'public') inner join pg_catalog.pg_attribute a on (not a.attisdropped) and a.attnum > 0 and a.attrelid = c.oid) inner join pg_catalog.pg_type t on t.oid = a.atttypid) left outer join pg_attrdef d on a.atthasdef and d.adrelid = a.attrelid and d.adnum = a.attnum order by n.nspname, c.relname, attnum;
-- next
-- SQLStatistics(NULL, 'public', 'cpu') - then the index list
-- expect: zero rows (cpu has no index)
-- check: rows = 0
select c.relname, i.indkey, i.indisunique, i.indisclustered, a.amname, c.relhasrules, n.nspname, c.oid, 0, i.indoption from pg_catalog.pg_index i, pg_catalog.pg_class c, pg_catalog.pg_class d, pg_catalog.pg_am a, pg_catalog.pg_namespace n where d.relname = 'cpu' and n.nspname = 'public' and n.oid = d.relnamespace and d.oid = i.indrelid and i.indexrelid = c.oid and c.relam = a.oid order by i.indisprimary desc, i.indisunique, n.nspname, c.relname;
-- next
-- SQLSpecialColumns(SQL_BEST_ROWID, NULL, 'public', 'cpu')
-- expect: one row relhasrules = f, relkind = r, relhasoids = 0
-- check: rows = 1
-- check: row relhasrules=f relkind=r relhasoids=0
select c.relhasrules, c.relkind, 0 as relhasoids from pg_catalog.pg_namespace u, pg_catalog.pg_class c where u.oid = c.relnamespace and c.relname = 'cpu' and u.nspname = 'public';
-- next
-- SQLExecDirect of the user's query (Tableau's data query)
-- expect: the rows of cpu with columns ts, hostname, usage_user
-- check: columns ts,hostname,usage_user
-- check: rows = 3
-- check: column hostname has host_a
select * from public.cpu;
-- next
-- after SQLExecDirect, when the application describes the result columns (SQLDescribeCol/SQLColAttribute): SQLColumns by the table OID from RowDescription. 16384 is the OID of public.cpu on a fresh cluster; a test must substitute the OID LumaDB reports for cpu
-- expect: three rows, attname ts, hostname, usage_user
-- check: column attname = ts,hostname,usage_user
-- check: column oid all $cpu
-- check: column relname all cpu
select n.nspname, c.relname, a.attname, a.atttypid, t.typname, a.attnum, a.attlen, a.atttypmod, a.attnotnull, c.relhasrules, c.relkind, c.oid, pg_get_expr(d.adbin, d.adrelid), case t.typtype when 'd' then t.typbasetype else 0 end, t.typtypmod, 0, attidentity, c.relhassubclass from (((pg_catalog.pg_class c inner join pg_catalog.pg_namespace n on n.oid = c.relnamespace and c.oid = 16384) inner join pg_catalog.pg_attribute a on (not a.attisdropped) and a.attnum > 0 and a.attrelid = c.oid) inner join pg_catalog.pg_type t on t.oid = a.atttypid) left outer join pg_attrdef d on a.atthasdef and d.adrelid = a.attrelid and d.adnum = a.attnum order by n.nspname, c.relname, attnum;

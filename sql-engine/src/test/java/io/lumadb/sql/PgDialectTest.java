package io.lumadb.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PgDialectTest {
  private static void rewrites(String expected, String sql) {
    assertEquals(expected, PgDialect.rewrite(sql));
  }

  private static void unchanged(String sql) {
    assertEquals(sql, PgDialect.rewrite(sql));
  }

  @Test
  void schemaQualifiedOperatorsAndCollations() {
    rewrites("WHERE c.relname ~ '^(cpu)$' \n  AND x",
        "WHERE c.relname OPERATOR(pg_catalog.~) '^(cpu)$' COLLATE pg_catalog.default\n  AND x");
    rewrites("a !~ 'x'", "a OPERATOR(pg_catalog.!~) 'x'");
    rewrites("a ~ 'x'", "a OPERATOR(~) 'x'");
    rewrites("ORDER BY name ", "ORDER BY name COLLATE \"C\"");
    // Other collations are left for the parser to report.
    unchanged("ORDER BY name COLLATE \"de_DE\"");
  }

  @Test
  void castsToPostgresTypeNames() {
    rewrites("SELECT NULL::VARCHAR, CAST(x AS INTEGER), CAST(y AS SMALLINT ARRAY), CAST(z AS VARCHAR)",
        "SELECT NULL::pg_catalog.text, x::oid, y::pg_catalog.int2[], z::\"char\"");
    rewrites("SELECT CAST(1 AS BIGINT), CAST(2 AS DOUBLE), CAST(3 AS REAL), CAST(4 AS BOOLEAN), "
            + "CAST(5 AS VARCHAR), CAST(6 AS timestamp)",
        "SELECT 1::int8, 2::float8, 3::float4, 4::bool, 5::name, 6::pg_catalog.timestamp");
    // SQL's char(1) is not PostgreSQL's "char". Calcite's :: binds more loosely than =, so
    // casts become CAST(..): a = 'f'::char compares with a cast literal, as in PostgreSQL.
    rewrites("SELECT CAST('abc' AS char), CAST(x AS integer), CAST(y AS varchar(10))",
        "SELECT 'abc'::char, x::integer, y::varchar(10)");
    rewrites("WHERE true AND (c.contype = CAST('f' AS char))",
        "WHERE true AND (c.contype = 'f'::char)");
    rewrites("SELECT CAST(a.b AS double precision), CAST(f(x) AS numeric(10, 2))",
        "SELECT a.b::double precision, f(x)::numeric(10, 2)");
    // a CAST, left() or right() call cast again (keywords called like functions)
    rewrites("SELECT CAST(cast(2 as int) AS VARCHAR), CAST(left(s, 2) AS int)",
        "SELECT cast(2 as int)::text, left(s, 2)::int");
    // Operands the rewrite cannot delimit keep the :: form.
    rewrites("SELECT ARRAY[1, 2]::integer ARRAY", "SELECT ARRAY[1, 2]::integer[]");
  }

  @Test
  void castsToOidAliasTypes() {
    // A literal or parameter is looked up by name; any other expression is shown by name.
    rewrites("d.classoid = pg_catalog.regclassin('pg_class')", "d.classoid = 'pg_class'::regclass");
    rewrites("t.oid = pg_catalog.regtypein($1)", "t.oid = $1::regtype");
    rewrites("SELECT pg_catalog.regclassout(c.oid)", "SELECT c.oid::pg_catalog.regclass");
    rewrites("CASE WHEN c.reloftype = 0 THEN '' ELSE CAST(pg_catalog.regtypeout(c.reloftype) AS VARCHAR) END",
        "CASE WHEN c.reloftype = 0 THEN '' ELSE c.reloftype::pg_catalog.regtype::pg_catalog.text END");
    rewrites("CAST(pg_catalog.regnamespaceout(stxnamespace) AS VARCHAR) AS nsp",
        "stxnamespace::pg_catalog.regnamespace::pg_catalog.text AS nsp");
    rewrites("typinput=pg_catalog.regprocin('pg_catalog.array_in')",
        "typinput='pg_catalog.array_in'::regproc");
    rewrites("CAST(pg_catalog.regprocin('add_one') AS INTEGER)",
        "'add_one'::pg_catalog.regproc::pg_catalog.oid");
    rewrites("SELECT pg_catalog.regclassout((a.b))", "SELECT (a.b)::regclass");
  }

  @Test
  void sqlValueFunctions() {
    rewrites("select pg_catalog.current_database() AS \"current_catalog\"", "select current_catalog");
    rewrites("SELECT pg_catalog.pg_get_userbyid(10) AS \"current_user\", "
            + "pg_catalog.current_schema() AS \"current_schema\" FROM t",
        "SELECT current_user, current_schema() FROM t");
    rewrites("WHERE owner = pg_catalog.pg_get_userbyid(10)", "WHERE owner = session_user");
    // Qualified names and function calls of the same name are left alone.
    rewrites("SELECT t.user, pg_catalog.current_schema() AS \"current_schema\", x.current_catalog FROM t",
        "SELECT t.user, pg_catalog.current_schema(), x.current_catalog FROM t");
  }

  @Test
  void functionsOnlyCalciteKnowsLoseTheirSchema() {
    rewrites("SELECT upper(x) AS \"upper\", pg_catalog.format_type(1, 2) AS \"format_type\"",
        "SELECT pg_catalog.upper(x), pg_catalog.format_type(1, 2)");
    unchanged("SELECT * FROM pg_catalog.pg_class");
  }

  @Test
  void setReturningFunctionsInFromNameTheirColumnAfterTheAlias() {
    rewrites("select 'toast.' || x from UNNEST(tc.reloptions) AS x(x)",
        "select 'toast.' || x from pg_catalog.unnest(tc.reloptions) x");
    rewrites("FROM TABLE(generate_series(0, 3)) AS s(s), pg_attribute WHERE attnum = prattrs[s]",
        "FROM pg_catalog.generate_series(0, 3) s, pg_attribute WHERE attnum = prattrs[s]");
    unchanged("FROM generate_series(1, 3) AS s(r)");
  }

  @Test
  void pgjdbcExpandArrayBecomesAnUnnestJoin() {
    String sql = "SELECT result.KEY_SEQ FROM (SELECT a.attname AS COLUMN_NAME, "
        + "(information_schema._pg_expandarray(con.conkey)).n AS KEY_SEQ, "
        + "information_schema._pg_expandarray(con.conkey) AS KEYS, a.attnum AS A_ATTNUM "
        + "FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_attribute a ON (a.attrelid = con.conrelid) "
        + "WHERE con.contype = 'p') result where result.A_ATTNUM = (result.KEYS).x";
    rewrites("SELECT result.KEY_SEQ FROM (SELECT a.attname AS COLUMN_NAME, "
        + "_pg_expandarray_1.n AS KEY_SEQ, "
        + "_pg_expandarray_1.x AS \"keys.x\", _pg_expandarray_1.n AS \"keys.n\", a.attnum AS A_ATTNUM "
        + "FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_attribute a ON (a.attrelid = con.conrelid) "
        + " CROSS JOIN UNNEST(con.conkey) WITH ORDINALITY AS _pg_expandarray_1(x, n) "
        + "WHERE con.contype = 'p') result where result.A_ATTNUM = result.\"keys.x\"", sql);
  }

  @Test
  void escapeStringsAndLikeEscapes() {
    rewrites("SELECT 'a\nb', 'it''s'", "SELECT E'a\\nb', E'it\\'s'");
    // PostgreSQL's LIKE escapes with a backslash unless told otherwise.
    rewrites("WHERE n LIKE $1 ESCAPE '\\' AND m NOT LIKE 'pg\\_%' ESCAPE '\\' AND k LIKE x",
        "WHERE n LIKE $1 AND m NOT LIKE E'pg\\\\_%' AND k LIKE x");
    unchanged("WHERE n LIKE 'a!_%' ESCAPE '!'");
  }

  @Test
  void arrayLiteralsOnlyInCatalogQueries() {
    rewrites("SELECT CASE WHEN pol.polroles = ARRAY[0] THEN 1 END FROM pg_catalog.pg_policy pol",
        "SELECT CASE WHEN pol.polroles = '{0}' THEN 1 END FROM pg_catalog.pg_policy pol");
    unchanged("SELECT * FROM t WHERE payload = '{0}'");
  }

  @Test
  void stringsCommentsAndOrdinaryQueriesAreUntouched() {
    unchanged("SELECT 'x::regclass OPERATOR(pg_catalog.~) current_user' -- ::text\n FROM t");
    unchanged("SELECT host, max(usage) AS peak FROM cpu WHERE host !~ '^db' GROUP BY host ORDER BY 1");
    unchanged("SELECT \"user\" FROM t");
    unchanged("SELECT 'unterminated");
  }

  @Test
  void malformedTextIsLeftForTheParser() {
    for (String sql : new String[] {"", ";", "::", "x::", "OPERATOR(", "OPERATOR(pg_catalog.",
        "COLLATE", "SELECT (", "SELECT ) x::regclass", "FROM generate_series(", "FROM unnest(a) AS",
        "SELECT information_schema._pg_expandarray(", "SELECT (information_schema._pg_expandarray(a)).",
        "SELECT information_schema._pg_expandarray(a) AS", "x LIKE", "current_schema(",
        "SELECT ]::regclass", "pg_catalog.", "pg_catalog.f"}) {
      PgDialect.rewrite(sql);
    }
  }

  @Test
  void functionCallsInTheSelectListNameTheirColumn() {
    rewrites("SELECT version() AS \"version\"", "SELECT version()");
    rewrites("SELECT host, max(usage) AS \"max\" FROM cpu GROUP BY host",
        "SELECT host, max(usage) FROM cpu GROUP BY host");
    // Aliased, windowed or part of a larger expression: left alone.
    unchanged("SELECT max(x) m, count(*) OVER (), f(x) + 1, trim(y) FROM t");
  }

  @Test
  void booleanCatalogColumnsCompareWithBooleanLiterals() {
    rewrites("FROM pg_catalog.pg_index i WHERE i.indisprimary = TRUE AND NOT attnotnull <> FALSE",
        "FROM pg_catalog.pg_index i WHERE i.indisprimary = 't' AND NOT attnotnull <> 'f'");
    // Not a catalog query, or not a boolean catalog column: left alone.
    unchanged("SELECT * FROM t WHERE indisprimary = 't'");
    unchanged("SELECT * FROM pg_class WHERE relkind = 't'");
  }

  @Test
  void setReturningFunctionInTheSelectListBecomesALateralJoin() {
    rewrites("select cn.oid, _srf_1.i AS i, conname from pg_constraint cn, pg_class c , "
            + "LATERAL TABLE(generate_series(array_lower(conkey, 1), array_upper(conkey, 1))) "
            + "AS _srf_1(i) where contype = 'f'",
        "select cn.oid, generate_series(array_lower(conkey, 1), array_upper(conkey, 1)) as i, "
            + "conname from pg_constraint cn, pg_class c where contype = 'f'");
  }

  @Test
  void scalarFunctionsInFromAreOneRowRelations() {
    rewrites("SELECT s[i] FROM TABLE(generate_series(1, 2)) AS i(i), "
            + "(SELECT string_to_array(current_setting('search_path'), ',') AS s) AS s",
        "SELECT s[i] FROM generate_series(1, 2) as i, "
            + "string_to_array(current_setting('search_path'), ',') s");
  }

  @Test
  void timestampTextComparedWithAColumnIsLeftForTheCastConversion() {
    // read when Calcite converts the implicit cast (TimestamptzCasts), which knows the type
    unchanged("SELECT 1 FROM t WHERE ts BETWEEN '2024-01-01T00:00:00Z' AND '2024-01-01T01:00:00Z'");
    unchanged("SELECT 1 FROM t WHERE ts >= '2024-01-01 00:00'");
  }

  @Test
  void jsonOperatorsAndCasts() {
    rewrites("SELECT lumadb_json_get_text(lumadb_json_get(t.a, 'n'), 1) FROM t",
        "SELECT t.a->'n'->>1 FROM t");
    rewrites("WHERE lumadb_json_get_text(attrs, 'k') = 'v' AND lumadb_json_get(a, -1) IS NULL",
        "WHERE attrs ->> 'k' = 'v' AND a -> -1 IS NULL");
    rewrites("WHERE lumadb_jsonb_contains(b, lumadb_jsonb('{\"a\": 1}')) OR lumadb_jsonb_contains(b, $1)",
        "WHERE b @> '{\"a\": 1}'::jsonb OR $1 <@ b");
    rewrites("SELECT lumadb_json(x), lumadb_jsonb('[1]'), lumadb_json_get(lumadb_jsonb(CAST(y AS VARCHAR)), 'k')",
        "SELECT CAST(x AS json), jsonb '[1]', y::text::jsonb -> 'k'");
    unchanged("SELECT a - > b, a - 1");
  }
}

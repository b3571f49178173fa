package io.lumadb.sqltests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.sqltests.SqlFrontEnd.Done;
import io.lumadb.sqltests.SqlFrontEnd.Failed;
import io.lumadb.sqltests.SqlFrontEnd.Outcome;
import io.lumadb.sqltests.SqlFrontEnd.Rows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runner against a scripted front end: format, comparison, conditions and reports. */
class SltRunnerTest {

  /** Answers each SQL text from a map; records what it was sent. */
  static final class ScriptedFrontEnd implements SqlFrontEnd {
    final Map<String, Outcome> answers = new HashMap<>();
    final List<String> sent = new ArrayList<>();

    ScriptedFrontEnd answer(String sql, Outcome o) {
      answers.put(sql, o);
      return this;
    }

    @Override
    public Outcome execute(String sql) {
      sent.add(sql);
      return answers.getOrDefault(sql, new Done(0));
    }

    @Override
    public String name() {
      return "scripted";
    }

    @Override
    public void close() {}
  }

  static Rows rows(int columns, String... values) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < columns; i++) {
      names.add("c" + i);
    }
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < values.length; i += columns) {
      rows.add(Arrays.asList(Arrays.copyOfRange(values, i, i + columns)));
    }
    return new Rows(names, rows);
  }

  static SltReport run(ScriptedFrontEnd db, String script, String... names) {
    return new SltRunner(db, SltRunner.names(names)).run("test.slt", script);
  }

  @Test
  void valuesAreFormattedBySqllogictestConventions() {
    assertEquals("NULL", SltValues.format('I', null));
    assertEquals("NULL", SltValues.format('T', null));
    assertEquals("(empty)", SltValues.format('T', ""));
    assertEquals("a@b", SltValues.format('T', "a\tb"));
    assertEquals("caf@", SltValues.format('T', "café"));
    assertEquals("42", SltValues.format('I', "42"));
    assertEquals("-2", SltValues.format('I', "-2.7"));
    assertEquals("1", SltValues.format('I', "t"));
    assertEquals("0", SltValues.format('I', "f"));
    assertEquals("2.500", SltValues.format('R', "2.5"));
    assertEquals("-0.000", SltValues.format('R', "-0.0001"));
    assertEquals("0.000", SltValues.format('R', "-0"));
    assertEquals("100000000000000000000.000", SltValues.format('R', "1e+20"));
    assertEquals("0.333", SltValues.format('R', "0.3333333333333333"));
    assertEquals("1.000", SltValues.format('R', "0.9995"));
    assertEquals("3.000", SltValues.format('R', "3"));
  }

  @Test
  void hashIsMd5OfValuesEachFollowedByNewline() {
    assertEquals("897316929176464ebc9ad085f31e7284", SltValues.md5(List.of("0")));
    assertEquals("b026324c6904b2a9cb4b88d6d61c81d1", SltValues.md5(List.of("1")));
    assertEquals("6ddb4095eb719e2a9f0a3f95677d24e0", SltValues.md5(List.of("1", "2")));
  }

  @Test
  void passingScriptCountsStatementsAndQueries() {
    ScriptedFrontEnd db = new ScriptedFrontEnd()
        .answer("SELECT a, b FROM t", rows(2, "1", "x", "2", null))
        .answer("SELECT a FROM t", rows(1, "2", "1"));
    SltReport r = run(db, """
        statement ok
        CREATE TABLE t (a INT, b TEXT)

        # value per line
        query IT
        SELECT a, b FROM t
        ----
        1
        x
        2
        NULL

        # row per line
        query IT nosort
        SELECT a, b FROM t
        ----
        1 x
        2 NULL

        query I rowsort
        SELECT a FROM t
        ----
        1
        2

        query I valuesort
        SELECT a FROM t
        ----
        1
        2
        """, "lumadb");
    assertEquals(5, r.passed(), r.details(10));
    assertEquals(0, r.failed());
    assertEquals(4, r.queries());
    assertTrue(db.sent.contains("DROP TABLE IF EXISTS t"), "created tables are dropped: " + db.sent);
  }

  @Test
  void failureNamesFileLineQueryExpectedAndActual() {
    ScriptedFrontEnd db = new ScriptedFrontEnd().answer("SELECT 1", rows(1, "2"));
    SltReport r = run(db, """
        statement ok
        CREATE TABLE t (a INT)

        query I
        SELECT 1
        ----
        1
        """, "lumadb");
    assertEquals(1, r.failed());
    SltReport.SltFailure f = r.failures().get(0);
    assertEquals("test.slt", f.file());
    assertEquals(4, f.line());
    assertEquals("SELECT 1", f.sql());
    assertEquals("1", f.expected());
    assertEquals("2", f.actual());
    assertTrue(f.toString().startsWith("test.slt:4:"), f.toString());
  }

  @Test
  void hashedResultsCompareCountAndMd5() {
    ScriptedFrontEnd db = new ScriptedFrontEnd()
        .answer("SELECT 0", rows(1, "0"))
        .answer("SELECT 1", rows(1, "1"));
    SltReport r = run(db, """
        hash-threshold 1

        query I
        SELECT 0
        ----
        1 values hashing to 897316929176464ebc9ad085f31e7284

        query I
        SELECT 1
        ----
        1 values hashing to 897316929176464ebc9ad085f31e7284
        """, "lumadb");
    assertEquals(1, r.passed());
    assertEquals(1, r.failed());
    assertTrue(r.failures().get(0).actual().startsWith("1 values hashing to b026324c"),
        r.failures().get(0).actual());
  }

  @Test
  void errorsMatchAnySqlstateOrMessage() {
    ScriptedFrontEnd db = new ScriptedFrontEnd()
        .answer("SELECT * FROM nosuch", new Failed("42P01", "ERROR: E004: relation \"nosuch\" does not exist"))
        .answer("SELEC 1", new Failed("42601", "ERROR: E003: syntax error"));
    SltReport r = run(db, """
        statement error
        SELECT * FROM nosuch

        statement error 42P01
        SELECT * FROM nosuch

        statement error E004: relation "nosuch"
        SELECT * FROM nosuch

        query error 42P01
        SELECT * FROM nosuch

        statement error 42601
        SELECT * FROM nosuch

        statement error
        SELECT 1

        statement ok
        SELEC 1
        """, "lumadb");
    assertEquals(4, r.passed(), r.details(10));
    assertEquals(3, r.failed());
    assertEquals("error with SQLSTATE 42601", r.failures().get(0).expected());
    assertTrue(r.failures().get(0).actual().startsWith("error 42P01"));
    assertEquals("statement ok", r.failures().get(1).actual());
    assertTrue(r.failures().get(2).actual().contains("E003"));
  }

  @Test
  void conditionsAndHalt() {
    ScriptedFrontEnd db = new ScriptedFrontEnd()
        .answer("SELECT 'pg'", rows(1, "pg"));
    SltReport r = run(db, """
        skipif postgresql # not for us
        statement ok
        SELECT 'skipped'

        onlyif sqlite
        statement ok
        SELECT 'sqlite only'

        onlyif postgresql
        query T
        SELECT 'pg'
        ----
        pg

        onlyif mysql
        halt

        statement ok
        SELECT 'runs'

        halt

        statement ok
        SELECT 'after halt'
        """, "postgresql");
    assertEquals(2, r.passed(), r.details(10));
    assertEquals(3, r.skipped());
    assertEquals(List.of("SELECT 'pg'", "SELECT 'runs'"), db.sent);
  }

  @Test
  void wrongColumnCountFails() {
    ScriptedFrontEnd db = new ScriptedFrontEnd().answer("SELECT 1, 2", rows(2, "1", "2"));
    SltReport r = run(db, """
        query I
        SELECT 1, 2
        ----
        1
        """, "lumadb");
    assertEquals(1, r.failed());
    assertTrue(r.failures().get(0).actual().startsWith("wrong number of columns"));
  }

  @Test
  void sameLabelMustGiveSameResult() {
    ScriptedFrontEnd db = new ScriptedFrontEnd()
        .answer("SELECT a", rows(1, "1"))
        .answer("SELECT b", rows(1, "1"))
        .answer("SELECT c", rows(1, "2"));
    SltReport r = run(db, """
        query I nosort label-1
        SELECT a
        ----
        1

        query I nosort label-1
        SELECT b
        ----
        1

        query I nosort label-1
        SELECT c
        ----
        2
        """, "lumadb");
    assertEquals(2, r.passed());
    assertEquals(1, r.failed());
  }

  @Test
  void sampleRunsEveryNthQueryAndAllStatements() {
    ScriptedFrontEnd db = new ScriptedFrontEnd();
    StringBuilder script = new StringBuilder("statement ok\nCREATE TABLE t (a INT)\n\n");
    for (int i = 0; i < 10; i++) {
      script.append("query I\nSELECT ").append(i).append("\n----\n\n");
      db.answer("SELECT " + i, rows(1));
    }
    SltReport r = new SltRunner(db, SltRunner.names("lumadb")).sampleQueries(4)
        .run("t.slt", script.toString());
    assertEquals(3, r.queries());
    assertEquals(List.of("CREATE TABLE t (a INT)", "SELECT 0", "SELECT 4", "SELECT 8",
        "DROP TABLE IF EXISTS t"), db.sent);
  }

  @Test
  void parserRejectsBrokenScripts() {
    assertThrows(IllegalArgumentException.class, () -> SltParser.parse("x", "frobnicate\n"));
    assertThrows(IllegalArgumentException.class, () -> SltParser.parse("x", "statement maybe\nSELECT 1\n"));
    assertThrows(IllegalArgumentException.class, () -> SltParser.parse("x", "query I\n----\n1\n"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SltParser.parse("x.slt", "statement ok\nSELECT 1\n\nskipif lumadb\n"));
    assertTrue(e.getMessage().startsWith("x.slt:"), e.getMessage());
  }

  @Test
  void parserReadsMultiLineSqlAndLabels() {
    List<SltRecord> records = SltParser.parse("x", """
        # comment
        onlyif lumadb
        query IT rowsort label-7
        SELECT a,
               b FROM t
        ----
        1 x

        statement error 42P01
        SELECT * FROM nosuch
        """);
    assertEquals(2, records.size());
    SltRecord.Query q = (SltRecord.Query) records.get(0);
    assertEquals(3, q.line());
    assertEquals("SELECT a,\n       b FROM t", q.sql());
    assertEquals("IT", q.types());
    assertEquals(SltRecord.SortMode.ROWSORT, q.sort());
    assertEquals("label-7", q.label());
    assertEquals(List.of("1 x"), q.expected());
    assertEquals(List.of(new SltRecord.Condition(true, "lumadb")), q.conditions());
    SltRecord.Statement s = (SltRecord.Statement) records.get(1);
    assertEquals("42P01", s.error().sqlState());
  }
}

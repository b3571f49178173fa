package io.lumadb.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CREATE [UNIQUE] INDEX / DROP INDEX through a session: errors, enforcement, catalog, restart. */
class IndexesTest extends SessionTestBase {
  private long copy(String sql, String data) {
    try (StatementResult r = session.execute(sql)) {
      CopyIn in = ((StatementResult.CopyInStarted) r).sink();
      in.accept(data.getBytes(StandardCharsets.UTF_8));
      return in.finish();
    }
  }

  @Test
  void uniqueIndexesAreEnforcedAndNothingIsHalfWritten() throws Exception {
    open(true);
    command("CREATE TABLE t (c0 INT, c1 INT, c2 TEXT)");
    command("INSERT INTO t VALUES (1, 2, 'a'), (1, 2, 'b'), (NULL, 3, 'c'), (NULL, 3, 'd')");
    LumaException e = error("CREATE UNIQUE INDEX i ON t (c1, c0)");
    assertEquals("23505", e.sqlState());
    assertEquals("could not create unique index \"i\"", e.getMessage());
    assertEquals("Key (c1, c0)=(2, 1) is duplicated.", e.detail().orElseThrow());
    assertEquals(List.of(), rows("SELECT relname FROM pg_class WHERE relname = 'i'"));
    command("CREATE TABLE u (c0 INT, c1 INT, c2 TEXT)");
    command("INSERT INTO u VALUES (1, 2, 'a'), (NULL, 3, 'c'), (NULL, 3, 'd')");
    assertEquals("CREATE INDEX", command("CREATE UNIQUE INDEX ui ON u (c1, c0)"));
    e = error("INSERT INTO u VALUES (5, 5, 'x'), (1, 2, 'dup')");
    assertEquals("23505", e.sqlState());
    assertEquals("duplicate key value violates unique constraint \"ui\"", e.getMessage());
    assertEquals("Key (c1, c0)=(2, 1) already exists.", e.detail().orElseThrow());
    assertEquals("23505", error("INSERT INTO u SELECT c0, c1, 'sel' FROM t WHERE c2 = 'a'").sqlState());
    assertEquals("23505", error("INSERT INTO u VALUES (7, 7, 'x'), (7, 7, 'y')").sqlState());
    // pgwire translates what CopyIn.finish throws, as here.
    RuntimeException c = assertThrows(RuntimeException.class,
        () -> copy("COPY u FROM STDIN", "8\t8\tx\n1\t2\ty\n"));
    assertEquals("23505", Errors.translate(c).sqlState());
    assertEquals("Key (c1, c0)=(2, 1) already exists.", Errors.translate(c).detail().orElseThrow());
    assertEquals(List.of("[3]"), rows("SELECT count(*) FROM u"), "rejected statements write nothing");
    assertEquals("INSERT 0 2", command("INSERT INTO u (c0, c2) VALUES (1, 'no c1'), (1, 'no c1')"));
    assertEquals(2, copy("COPY u FROM STDIN", "9\t9\tx\n\\N\t9\ty\n"));
    assertEquals(List.of("[7]"), rows("SELECT count(*) FROM u"));
  }

  @Test
  void errorsAreThoseOfPostgres() throws Exception {
    open(true);
    command("CREATE TABLE t (a INT, b TEXT)");
    command("CREATE VIEW v AS SELECT a FROM t");
    command("CREATE INDEX i ON t (a)");
    assertEquals("42P01", error("CREATE INDEX j ON nosuch (a)").sqlState());
    assertEquals("42703", error("CREATE INDEX j ON t (nosuch)").sqlState());
    assertEquals("42P07", error("CREATE INDEX i ON t (b)").sqlState());
    assertEquals("42P07", error("CREATE INDEX t ON t (b)").sqlState());
    assertEquals("42P07", error("CREATE TABLE i (x INT)").sqlState());
    assertEquals("42P07", error("CREATE VIEW i AS SELECT 1 AS x").sqlState());
    assertEquals("CREATE INDEX", command("CREATE INDEX IF NOT EXISTS i ON t (b)"));
    assertEquals("42809", error("CREATE INDEX j ON v (a)").sqlState());
    assertEquals("42809", error("CREATE INDEX j ON i (a)").sqlState());
    assertEquals("42501", error("CREATE INDEX j ON pg_catalog.pg_class (relname)").sqlState());
    command("CREATE TABLE metrics.m (ts TIMESTAMP, value DOUBLE PRECISION)");
    assertEquals("0A000", error("CREATE INDEX j ON metrics.m (ts)").sqlState());
    assertEquals("0A000", error("CREATE INDEX j ON m (ts)").sqlState());
    assertEquals("0A000", error("CREATE INDEX j ON t USING gin (b)").sqlState());
    assertEquals("0A000", error("CREATE INDEX j ON t (lower(b))").sqlState());
    assertEquals("0A000", error("CREATE INDEX j ON t (a) WHERE a > 1").sqlState());
    assertEquals("42601", error("CREATE INDEX IF NOT EXISTS ON t (a)").sqlState());
    assertEquals("42704", error("DROP INDEX nosuch").sqlState());
    assertEquals("DROP INDEX", command("DROP INDEX IF EXISTS nosuch"));
    assertEquals("42809", error("DROP INDEX t").sqlState());
    assertEquals("42809", error("DROP TABLE i").sqlState());
    assertEquals("42809", error("DROP VIEW i").sqlState());
    assertEquals("CREATE INDEX", command("CREATE INDEX ON t (a, b)"));
    assertEquals("CREATE INDEX", command("CREATE INDEX ON t (a, b)"));
    assertEquals(List.of("[i]", "[t_a_b_idx]", "[t_a_b_idx1]"),
        rows("SELECT indexname FROM pg_indexes WHERE tablename = 't' ORDER BY 1"));
    assertEquals("DROP INDEX", command("DROP INDEX t_a_b_idx, public.t_a_b_idx1 CASCADE"));
    assertEquals(List.of("[1]"), rows("SELECT count(*) FROM pg_indexes"));
    command("DROP VIEW v");
    command("DROP TABLE t");
    assertEquals(List.of("[0]"), rows("SELECT count(*) FROM pg_indexes"));
    assertEquals(List.of("[0]"), rows("SELECT count(*) FROM pg_index"));
  }

  @Test
  void catalogDescribesIndexesAndTheySurviveRestart() throws Exception {
    open(true);
    command("CREATE TABLE t (c0 INT, c1 TEXT, c3 DOUBLE PRECISION)");
    command("CREATE UNIQUE INDEX u ON t USING btree (c1, c0 DESC)");
    command("CREATE INDEX d ON t (c3 DESC NULLS LAST, c0 NULLS FIRST)");
    close();
    open(true);
    assertEquals(List.of(
        "[d, CREATE INDEX d ON public.t USING btree (c3 DESC NULLS LAST, c0 NULLS FIRST)]",
        "[u, CREATE UNIQUE INDEX u ON public.t USING btree (c1, c0 DESC)]"),
        rows("SELECT indexname, indexdef FROM pg_indexes ORDER BY 1"));
    assertEquals(List.of("[u, true, false, [2, 1], [0, 3], c0]", "[d, false, false, [3, 1], [1, 2], c0]"),
        rows("SELECT c.relname, i.indisunique, i.indisprimary, i.indkey, i.indoption,"
            + " pg_get_indexdef(i.indexrelid, 2, true)"
            + " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
            + " WHERE i.indrelid = 't'::regclass ORDER BY i.indisunique DESC"));
    assertEquals(List.of("[t, true, r]"),
        rows("SELECT relname, relhasindex, relkind FROM pg_class WHERE relname = 't'"));
    assertEquals(List.of("[i]"), rows("SELECT DISTINCT relkind FROM pg_class WHERE relname IN ('u', 'd')"));
    assertEquals(List.of("[0]"), rows("SELECT count(*) FROM information_schema.tables WHERE table_name = 'u'"));
    assertEquals("23505", error("INSERT INTO t VALUES (1, 'x', 1), (1, 'x', 2)").sqlState());
  }
}

package io.lumadb.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** CREATE/DROP VIEW and ALTER TABLE ... ADD COLUMN, in memory and across a restart. */
class ViewsAndAlterTableTest extends SessionTestBase {
  @Test
  void alterTableAddsNullableColumns() throws Exception {
    open(false);
    command("CREATE TABLE t (a INT)");
    command("INSERT INTO t VALUES (1), (2), (3)"); // sealed segments and the active one
    assertEquals("ALTER TABLE", command("ALTER TABLE t ADD COLUMN b TEXT"));
    assertEquals("ALTER TABLE", command("ALTER TABLE t ADD c BIGINT NULL, ADD COLUMN IF NOT EXISTS b INT"));
    command("INSERT INTO t VALUES (4, 'four', 40)");
    assertEquals(List.of("[1, null, null]", "[2, null, null]", "[3, null, null]", "[4, four, 40]"),
        rows("SELECT a, b, c FROM t ORDER BY a"));
    assertEquals("42701", sqlState("ALTER TABLE t ADD COLUMN b TEXT"));
    assertEquals("42P01", sqlState("ALTER TABLE nosuch ADD COLUMN b TEXT"));
    assertEquals("ALTER TABLE", command("ALTER TABLE IF EXISTS nosuch ADD COLUMN b TEXT"));
    assertEquals("0A000", sqlState("ALTER TABLE t DROP COLUMN b"));
    assertEquals("0A000", sqlState("ALTER TABLE t RENAME TO u"));
    assertEquals("0A000", sqlState("ALTER TABLE t ALTER COLUMN b TYPE INT"));
    assertEquals("0A000", sqlState("ALTER TABLE t ADD COLUMN d INT NOT NULL"));
    assertEquals("42704", sqlState("ALTER TABLE t ADD COLUMN d nosuchtype"));
  }

  @Test
  void viewsAreQueryableAndListed() throws Exception {
    open(false);
    command("CREATE TABLE t (a INT, b TEXT)");
    command("INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z')");
    assertEquals("CREATE VIEW", command("CREATE VIEW v AS SELECT a, b FROM t WHERE a >= 2"));
    assertEquals(List.of("[2, y]", "[3, z]"), rows("SELECT * FROM v ORDER BY a"));
    command("CREATE VIEW w (n, label) AS SELECT a * 10, upper(b) FROM v");
    assertEquals(List.of("[30, Z]"), rows("SELECT n, label FROM w WHERE n > 20"));
    command("CREATE VIEW s AS SELECT * FROM t");
    command("ALTER TABLE t ADD COLUMN c INT");
    assertEquals(List.of("[1, x]"), rows("SELECT * FROM s WHERE a = 1"));
    assertEquals("42P07", sqlState("CREATE VIEW v AS SELECT 1"));
    assertEquals("42P07", sqlState("CREATE VIEW t AS SELECT 1"));
    assertEquals("42P07", sqlState("CREATE TABLE v (x INT)"));
    assertEquals("42P01", sqlState("CREATE VIEW bad AS SELECT * FROM nosuch"));
    assertEquals("42P01", sqlState("SELECT * FROM bad"));
    assertEquals("42809", sqlState("DROP TABLE v"));
    assertEquals("42809", sqlState("DROP VIEW t"));
    assertEquals("42809", sqlState("CREATE OR REPLACE VIEW t AS SELECT 1"));
    assertEquals("42P16", sqlState("CREATE OR REPLACE VIEW v AS SELECT a FROM t"));
    assertEquals("CREATE VIEW", command("CREATE OR REPLACE VIEW v AS SELECT a, b, c FROM t WHERE a >= 3"));
    assertEquals(List.of("[3, z, null]"), rows("SELECT * FROM v"));
    assertEquals(List.of("[v, v]", "[w, v]", "[s, v]"),
        rows("SELECT relname, relkind FROM pg_class WHERE relname IN ('v', 'w', 's') ORDER BY oid"));
    assertEquals(List.of("[public, w,  SELECT a * 10, upper(b) FROM v;]"),
        rows("SELECT schemaname, viewname, definition FROM pg_views WHERE viewname = 'w'"));
    assertEquals(List.of("[s, VIEW]", "[t, BASE TABLE]", "[v, VIEW]", "[w, VIEW]"),
        rows("SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"));
    assertEquals(List.of("[n, 1]", "[label, 2]"), rows("SELECT column_name, ordinal_position FROM "
        + "information_schema.columns WHERE table_name = 'w' ORDER BY 2"));
    assertEquals("DROP VIEW", command("DROP VIEW IF EXISTS nosuch, w"));
    assertEquals("42P01", sqlState("SELECT * FROM w"));
    assertEquals("42P01", sqlState("DROP VIEW w"));
    command("CREATE VIEW metrics.mv AS SELECT a FROM t");
    assertEquals(List.of("[1]"), rows("SELECT * FROM metrics.mv WHERE a = 1"));
    assertEquals(List.of("[1]"), rows("SELECT * FROM mv WHERE a = 1"));
  }

  @Test
  void dropChecksDependentViews() throws Exception {
    open(false);
    command("CREATE TABLE t (a INT)");
    command("CREATE TABLE u (a INT)");
    command("CREATE VIEW v1 AS SELECT a FROM t");
    command("CREATE VIEW v2 AS SELECT a FROM v1");
    command("CREATE VIEW v3 AS SELECT a FROM u");
    assertEquals("2BP01", sqlState("DROP TABLE t"));
    assertEquals("2BP01", sqlState("DROP VIEW v1"));
    assertEquals("DROP VIEW", command("DROP VIEW v2, v1")); // both go: nothing is left depending
    command("CREATE VIEW v1 AS SELECT a FROM t");
    command("CREATE VIEW v2 AS SELECT a FROM v1");
    // OR REPLACE moves v1 to u: v2 now depends on u through v1
    command("CREATE OR REPLACE VIEW v1 AS SELECT a FROM u");
    assertEquals("DROP TABLE", command("DROP TABLE t"));
    assertEquals("2BP01", sqlState("DROP TABLE u"));
    assertEquals("42P01", sqlState("DROP TABLE u, nosuch CASCADE")); // checked before anything goes
    assertEquals(List.of("[1]"), rows("SELECT count(*) FROM pg_views WHERE viewname = 'v2'"));
    assertEquals("DROP TABLE", command("DROP TABLE u CASCADE"));
    assertEquals(List.of(), rows("SELECT relname FROM pg_class WHERE relname IN ('v1', 'v2', 'v3', 'u')"));
    command("CREATE TABLE w (a INT)");
    command("CREATE TABLE x (a INT)");
    command("CREATE VIEW sub AS SELECT a FROM w WHERE EXISTS (SELECT 1 FROM x WHERE x.a = w.a)");
    assertEquals("2BP01", sqlState("DROP TABLE w"));
    assertEquals("2BP01", sqlState("DROP TABLE x"));
    assertEquals("DROP TABLE", command("DROP TABLE x, w CASCADE"));
    assertEquals("42P01", sqlState("SELECT * FROM sub"));
  }

  @Test
  void viewsAndAddedColumnsSurviveRestart() throws Exception {
    open(true);
    command("CREATE TABLE t (a INT, b TEXT)");
    command("INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z')");
    storage.flushAll(); // old rows in Parquet without the new column
    command("INSERT INTO t VALUES (4, 'w')");
    command("ALTER TABLE t ADD COLUMN c DOUBLE PRECISION");
    command("INSERT INTO t VALUES (5, 'v', 2.5)");
    command("CREATE VIEW v (k, c) AS SELECT a, c FROM t WHERE a > 1");
    command("CREATE VIEW gone AS SELECT 1 AS one");
    command("DROP VIEW gone");
    close();
    open(true);
    assertEquals(List.of("[2, null]", "[3, null]", "[4, null]", "[5, 2.5]"), rows("SELECT * FROM v ORDER BY k"));
    assertEquals("42P01", sqlState("SELECT * FROM gone"));
    command("CREATE VIEW gone AS SELECT 2 AS two");
    assertEquals(List.of("[2]"), rows("SELECT * FROM gone"));
  }
}

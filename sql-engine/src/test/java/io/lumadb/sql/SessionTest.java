package io.lumadb.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.storage.StorageConfig;
import io.lumadb.storage.StorageEngine;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SessionTest {
  private StorageEngine storage;
  private Session session;

  @BeforeEach
  void setUp() {
    // A tiny seal limit so that queries read sealed Arrow segments and the active one together.
    storage = new StorageEngine(StorageConfig.DEFAULTS.withSealRows(2));
    session = new SqlEngine(storage, new PrometheusRegistry()).openSession("lumadb", "test", Map.of());
  }

  @AfterEach
  void tearDown() {
    session.close();
    storage.close(); // throws if any Arrow buffer leaked
  }

  private List<List<Object>> rows(String sql) {
    try (StatementResult r = session.execute(sql)) {
      return ResultValues.of((StatementResult.Rows) r);
    }
  }

  private String command(String sql) {
    try (StatementResult r = session.execute(sql)) {
      return ((StatementResult.Command) r).tag();
    }
  }

  @Test
  void createInsertSelect() {
    assertEquals("CREATE TABLE", command("""
        CREATE TABLE cpu (host TEXT, region VARCHAR(20), usage DOUBLE PRECISION, cores INT,
          total BIGINT, up BOOLEAN, ts TIMESTAMP)"""));
    assertEquals("INSERT 0 3", command("""
        INSERT INTO cpu VALUES
          ('a', 'eu', 1.5, 4, 10000000000, true, TIMESTAMP '2024-01-01 00:00:00'),
          ('b', 'us', 2.5, 8, 20, false, TIMESTAMP '2024-01-01 00:00:10.250'),
          ('a', 'eu', 3.5, 4, 30, NULL, TIMESTAMP '2024-01-01 00:00:20')"""));
    assertEquals("INSERT 0 1", command("INSERT INTO cpu (host, usage) VALUES ('c', 0.5)"));
    assertEquals(4L, ((Number) rows("SELECT count(*) FROM cpu").get(0).get(0)).longValue());
    assertEquals(
        List.of(Arrays.asList("a", 5.0, 2L), Arrays.asList("b", 2.5, 1L), Arrays.asList("c", 0.5, 1L)),
        rows("SELECT host, sum(usage), count(*) FROM cpu GROUP BY host ORDER BY host"));
    assertEquals(List.of(List.of(LocalDateTime.of(2024, 1, 1, 0, 0, 10, 250_000_000), 10000000000L)),
        rows("SELECT max(ts), max(total) FROM cpu WHERE region = 'us' OR total > 100"));
    assertEquals(List.of(Arrays.asList("c", null, null)),
        rows("SELECT host, cores, up FROM cpu WHERE ts IS NULL"));
    assertEquals(List.of(List.of("b")), rows("SELECT host FROM cpu ORDER BY usage DESC LIMIT 1 OFFSET 1"));
  }

  @Test
  void timestamptzColumnsHoldInstantsAndPrintInTheSessionZone() {
    command("CREATE TABLE ev (at TIMESTAMPTZ, v INT)");
    command("INSERT INTO ev VALUES ('2024-01-01 10:00:00+02', 1)");
    command("INSERT INTO ev VALUES ('2024-01-01 10:00:00', 2)"); // read in UTC, the session's zone
    command("SET TIME ZONE 'Asia/Kolkata'");
    command("INSERT INTO ev VALUES ('2024-01-01 10:00:00', 3)"); // read in Kolkata
    command("INSERT INTO ev VALUES (TIMESTAMP '2024-01-01 10:00:00', 4)"); // a timestamp: Kolkata too
    // sealed segments (seal_rows 2) and the active one; the time column prunes by instant
    assertEquals(List.of(
            List.of(java.time.Instant.parse("2024-01-01T04:30:00Z"), 3),
            List.of(java.time.Instant.parse("2024-01-01T04:30:00Z"), 4),
            List.of(java.time.Instant.parse("2024-01-01T08:00:00Z"), 1)),
        rows("SELECT at, v FROM ev WHERE at < '2024-01-01 09:00:00Z' ORDER BY at, v"));
    assertEquals(List.of(List.of(2)), rows("SELECT v FROM ev WHERE at = '2024-01-01 15:30:00'"));
    assertEquals(List.of(List.of(1)), rows("SELECT v FROM ev WHERE at = '2024-01-01T10:00:00+02:00'"));
    command("CREATE TABLE evt (ts TIMESTAMP, v INT)");
    command("INSERT INTO evt VALUES (TIMESTAMP '2024-01-01 10:00:00', 1), (TIMESTAMP '2024-01-01 12:30:00', 2)");
    // timestamp input: T, no seconds, an offset (ignored, as PostgreSQL ignores it)
    assertEquals(List.of(List.of(1)), rows("SELECT v FROM evt WHERE ts = '2024-01-01T10:00:00+05'"));
    assertEquals(List.of(List.of(2)), rows("SELECT v FROM evt WHERE ts >= '2024-01-01 12:30'"));
    assertEquals(List.of(List.of(1)), rows("SELECT v FROM evt WHERE ts BETWEEN '2024-01-01' AND '2024-01-01T11:00Z'"));
    assertEquals("22023", assertThrows(LumaException.class,
        () -> command("SET TIME ZONE 'Mars/Olympus'")).sqlState());
    assertEquals(java.time.ZoneId.of("Asia/Kolkata"), session.settings().zone(), "a bad zone changes nothing");
    command("SET TimeZone = 'GMT-01:00'"); // POSIX: one hour east, as pgjdbc sends it
    assertEquals(java.time.ZoneOffset.ofHours(1), session.settings().zone());
    command("RESET TimeZone");
    assertEquals(java.time.ZoneOffset.UTC, session.settings().zone());
  }

  @Test
  void joinAndInsertSelect() {
    command("CREATE TABLE hosts (name TEXT, team TEXT)");
    command("CREATE TABLE m (host TEXT, v INT)");
    command("INSERT INTO hosts VALUES ('a', 'red'), ('b', 'blue')");
    command("INSERT INTO m VALUES ('a', 1), ('a', 2), ('b', 3), ('z', 4)");
    assertEquals(List.of(List.of("blue", 3L), List.of("red", 3L)), rows("""
        SELECT h.team, sum(m.v) FROM m JOIN hosts h ON m.host = h.name
        GROUP BY h.team ORDER BY h.team"""));
    assertEquals("INSERT 0 2", command("INSERT INTO hosts SELECT host, 'new' FROM m WHERE v > 2"));
    assertEquals(List.of(List.of(4L)), rows("SELECT count(*) FROM hosts"));
  }

  @Test
  void errorsCarryCodes() {
    LumaException e = assertThrows(LumaException.class, () -> session.execute("SELECT * FROM nosuch"));
    assertEquals("42P01", e.sqlState());
    assertEquals(ErrorCode.E004, e.code().orElseThrow());
    assertTrue(e.getMessage().startsWith("E004: relation \"nosuch\" does not exist"), e.getMessage());

    e = assertThrows(LumaException.class, () -> session.execute("SELEC 1"));
    assertEquals("42601", e.sqlState());
    assertEquals(ErrorCode.E003, e.code().orElseThrow());

    command("CREATE TABLE t (a INT NOT NULL, b TEXT)");
    e = assertThrows(LumaException.class, () -> session.execute("INSERT INTO t (b) VALUES ('x')"));
    assertEquals("23502", e.sqlState());
    e = assertThrows(LumaException.class, () -> session.execute("INSERT INTO nosuch VALUES (1)"));
    assertEquals("42P01", e.sqlState());
    e = assertThrows(LumaException.class, () -> session.execute("CREATE TABLE t (a INT)"));
    assertEquals("42P07", e.sqlState());
    e = assertThrows(LumaException.class, () -> session.execute("INSERT INTO t VALUES ('notanumber', 'x')"));
    assertEquals("22P02", e.sqlState(), e.getMessage());
    // Nothing of a failed insert is visible, and the session still works.
    e = assertThrows(LumaException.class,
        () -> session.execute("INSERT INTO t VALUES (1, 'x'), (NULL, 'y')"));
    assertEquals("23502", e.sqlState());
    assertEquals(List.of(List.of(0L)), rows("SELECT count(*) FROM t"));
    assertEquals("DROP TABLE", command("DROP TABLE t"));
    assertEquals("DROP TABLE", command("DROP TABLE IF EXISTS t"));
    e = assertThrows(LumaException.class, () -> session.execute("DROP TABLE t"));
    assertEquals("42P01", e.sqlState());
  }

  @Test
  void preparedQueriesBindManyTimes() {
    command("CREATE TABLE p (id INT, name TEXT)");
    command("INSERT INTO p VALUES (1, 'one'), (2, 'two'), (3, 'three')");
    try (PreparedQuery q = session.prepare("SELECT name FROM p WHERE id = $1", List.of())) {
      assertEquals(List.of(org.apache.calcite.sql.type.SqlTypeName.INTEGER), q.paramTypes());
      for (int id = 1; id <= 3; id++) {
        try (StatementResult.Rows r = (StatementResult.Rows) q.execute(List.of(id))) {
          assertTrue(r.cursor().next());
          assertEquals(List.of("one", "two", "three").get(id - 1), r.cursor().get(0));
        }
      }
    }
    try (PreparedQuery ins = session.prepare("INSERT INTO p VALUES ($1, $2)", List.of())) {
      ins.execute(List.of(4, "it's four")).close();
    }
    assertEquals(List.of(List.of("it's four")), rows("SELECT name FROM p WHERE id = 4"));
  }

  @Test
  void nowIsTheStatementTime() {
    command("CREATE TABLE n (ts TIMESTAMP, now INT)");
    assertEquals("INSERT 0 1", command("INSERT INTO n VALUES (now(), 1)"));
    List<List<Object>> r = rows("SELECT ts <= now(), now FROM n");
    assertEquals(List.of(List.of(true, 1)), r);
    long ms = ((LocalDateTime) rows("SELECT now()").get(0).get(0))
        .toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
    assertTrue(Math.abs(ms - System.currentTimeMillis()) < 60_000, "now() is the current time");
  }

  @Test
  void settings() {
    assertEquals("SET", command("SET application_name = 'x'"));
    assertEquals(List.of(List.of("x")), rows("SHOW application_name"));
    assertEquals("SET", command("SET TIME ZONE 'UTC'"));
    command("RESET application_name");
    assertEquals(List.of(List.of("")), rows("SHOW application_name"));
    assertEquals("BEGIN", command("BEGIN"));
    assertEquals("COMMIT", command("COMMIT"));
  }
}

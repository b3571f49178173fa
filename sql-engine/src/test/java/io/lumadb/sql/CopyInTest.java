package io.lumadb.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.storage.StorageConfig;
import io.lumadb.storage.StorageEngine;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** COPY FROM STDIN parsing: fast paths agree with the general conversion; any chunking gives the same rows. */
class CopyInTest {
  private StorageEngine storage;
  private Session session;

  @BeforeEach
  void setUp() {
    storage = new StorageEngine(StorageConfig.DEFAULTS);
    session = new SqlEngine(storage, new PrometheusRegistry()).openSession("lumadb", "test", Map.of());
  }

  @AfterEach
  void tearDown() {
    session.close();
    storage.close();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void decimalsMatchDoubleParseDouble() {
    SplittableRandom r = new SplittableRandom(7);
    for (int k = 0; k < 200_000; k++) {
      int whole = r.nextInt(8);
      int frac = r.nextInt(9);
      StringBuilder s = new StringBuilder(r.nextInt(4) == 0 ? "-" : "");
      for (int i = 0; i < Math.max(1, whole); i++) {
        s.append((char) ('0' + r.nextInt(10)));
      }
      if (frac > 0) {
        s.append('.');
        for (int i = 0; i < frac; i++) {
          s.append((char) ('0' + r.nextInt(10)));
        }
      }
      byte[] b = utf8(s.toString());
      double fast = FastParse.decimal(b, 0, b.length);
      if (!Double.isNaN(fast)) {
        assertEquals(Double.doubleToRawLongBits(Double.parseDouble(s.toString())), Double.doubleToRawLongBits(fast),
            s.toString());
      }
    }
    for (String declined : List.of("", "-", "1.", ".", "1e5", "nan", " 1", "1 ", "1234567890123456", "0x10", "1.2.3")) {
      assertTrue(Double.isNaN(FastParse.decimal(utf8(declined), 0, declined.length())), declined);
    }
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(FastParse.decimal(utf8("-0"), 0, 2)));
    assertEquals(0.1, FastParse.decimal(utf8(".1"), 0, 2));
  }

  @Test
  void timestampsMatchTheGeneralParser() {
    for (String t : List.of("2016-01-01 00:00:00", "2016-01-01T23:59:59", "2024-02-29 12:34:56.7",
        "2024-02-29 12:34:56.789", "2024-02-29 12:34:56.789999999", "1969-12-31 23:59:59.5", "0001-01-01 00:00:00",
        "2016-01-01")) {
      byte[] b = utf8(t);
      long want = ValueCoercion.parseTimestamp(t).toInstant(ZoneOffset.UTC).toEpochMilli();
      assertEquals(want, FastParse.timestampMillis(b, 0, b.length), t);
    }
    for (String declined : List.of("2023-02-29 00:00:00", "2016-13-01 00:00:00", "2016-01-01 24:00:00",
        "2016-01-01 00:60:00", "2016-01-01 00:00", "2016-01-01 00:00:00+02", "2016-01-01 00:00:00.",
        "2016-01-01 00:00:00.1234567890", "16-01-01 00:00:00", "2016/01/01 00:00:00", "2016-01-01x00:00:00")) {
      byte[] b = utf8(declined);
      assertEquals(Long.MIN_VALUE, FastParse.timestampMillis(b, 0, b.length), declined);
    }
  }

  @Test
  void wholeNumbers() {
    for (String s : List.of("0", "-1", "+42", "123456789012345678", "-123456789012345678")) {
      byte[] b = utf8(s);
      assertTrue(FastParse.isWholeNumber(b, 0, b.length), s);
      assertEquals(Long.parseLong(s), FastParse.wholeNumber(b, 0, b.length), s);
    }
    for (String s : List.of("", "-", "1234567890123456789", "1.0", "1e3", " 1")) {
      byte[] b = utf8(s);
      assertTrue(!FastParse.isWholeNumber(b, 0, b.length), s);
    }
  }

  private static final String TABLE = "CREATE TABLE c (ts TIMESTAMP, host TEXT, n INT, big BIGINT, "
      + "v DOUBLE PRECISION, ok BOOLEAN, d DATE)";

  private static final String CSV = "ts,host,n,big,v,ok,d\r\n"
      + "2016-01-01 00:00:00,h1,1,10,1.5,true,2016-01-01\r\n"
      + "2016-01-01T00:00:10.25,\"h,2\",-2,,NaN,f,\n"
      + "2016-01-01 00:00:20,\"multi\nline \"\"quoted\"\"\",3,30,1e3,t,2016-01-03\n"
      + "2016-01-01 00:00:30,\"\",2147483647,9223372036854775807, -4.25 ,false,2016-01-04\n"
      + "2016-01-01 00:00:40 ,h1,,40,0.1,,2016-01-05";

  private static final List<String> CSV_ROWS = List.of(
      "2016-01-01 00:00:00|h1|1|10|1.5|true|2016-01-01",
      "2016-01-01 00:00:10.25|h,2|-2|null|NaN|false|null",
      "2016-01-01 00:00:20|multi\nline \"quoted\"|3|30|1000.0|true|2016-01-03",
      "2016-01-01 00:00:30||2147483647|9223372036854775807|-4.25|false|2016-01-04",
      "2016-01-01 00:00:40|h1|null|40|0.1|null|2016-01-05");

  @Test
  void csvGivesTheSameRowsForEveryChunking() {
    exec(TABLE);
    byte[] data = utf8(CSV);
    for (int cut = 0; cut <= data.length; cut++) {
      recreate();
      copy("COPY c FROM STDIN WITH (FORMAT csv, HEADER true)", data, cut);
      assertEquals(CSV_ROWS, rows("SELECT ts, host, n, big, v, ok, d FROM c ORDER BY ts"), "cut at " + cut);
    }
  }

  @Test
  void textFormatEscapesNullsAndEndMarker() {
    exec(TABLE);
    String text = "2016-01-01 00:00:00\ttab\\there\t1\t\\N\t2\tt\t2016-01-01\n"
        + "2016-01-01 00:00:01\tback\\\\slash\\nnewline\t\\N\t5\t-0.5\t\\N\t\\N\n"
        + "\\.\n"
        + "ignored after the end marker\n";
    byte[] data = utf8(text);
    for (int cut = 0; cut <= data.length; cut++) {
      recreate();
      copy("COPY c FROM STDIN", data, cut);
      assertEquals(List.of("2016-01-01 00:00:00|tab\there|1|null|2.0|true|2016-01-01",
          "2016-01-01 00:00:01|back\\slash\nnewline|null|5|-0.5|null|null"),
          rows("SELECT ts, host, n, big, v, ok, d FROM c ORDER BY ts"), "cut at " + cut);
    }
    recreate();
    copy("COPY c (host, n) FROM STDIN WITH (DELIMITER '|', NULL 'none')", utf8("a|none\nnone|7\n"), 3);
    assertEquals(List.of("null|7", "a|null"), rows("SELECT host, n FROM c ORDER BY host NULLS FIRST"));
  }

  @Test
  void aBadValueLoadsNothing() {
    exec(TABLE);
    LumaException e = assertThrows(LumaException.class, () -> copy("COPY c FROM STDIN WITH (FORMAT csv)",
        utf8("2016-01-01 00:00:00,h,1,1,1,t,2016-01-01\n2016-01-01 00:00:00,h,99999999999,1,1,t,2016-01-01\n"), 0));
    assertEquals("22003", e.sqlState());
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    e = assertThrows(LumaException.class, () -> copy("COPY c FROM STDIN WITH (FORMAT csv)",
        utf8("2016-01-01 00:00:00,h,1,1,x,t,2016-01-01\n"), 0));
    assertEquals("22P02", e.sqlState());
    assertTrue(e.getMessage().contains("column v"), e.getMessage());
    e = assertThrows(LumaException.class, () -> copy("COPY c FROM STDIN WITH (FORMAT csv)", utf8("a,b\n"), 0));
    assertEquals("22P04", e.sqlState());
    e = assertThrows(LumaException.class, () -> copy("COPY c FROM STDIN WITH (FORMAT csv)",
        utf8("2016-02-30 00:00:00,h,1,1,1,t,2016-01-01\n"), 0));
    assertEquals("22P02", e.sqlState()); // only the general parser words date errors
    e = assertThrows(LumaException.class, () -> copy("COPY c FROM STDIN WITH (FORMAT csv)",
        utf8("2016-01-01 00:00:00,\"open,1,1,1,t,2016-01-01\n"), 0));
    assertEquals("22P04", e.sqlState());
    assertEquals(List.of("0"), rows("SELECT count(*) FROM c"));
  }

  /** bytea (hex, and escaped in the text format), json, jsonb and numeric fields, text and csv. */
  @Test
  void byteaJsonNumericFields() {
    exec("CREATE TABLE nt (b BYTEA, j JSON, jb JSONB, p NUMERIC(5, 1), u NUMERIC)");
    // text format: a backslash is doubled, so \\x00ff arrives as \x00ff
    byte[] text = utf8("\\\\x00ff\t{\"a\" :1}\t{\"b\":[1,2]}\t1.25\t-0.000100\n"
        + "\\N\t\\N\t\\N\t\\N\t\\N\n");
    byte[] csv = utf8("\\x0a0b,\"{\"\"k\"\": \"\"v,w\"\"}\",[],-7,12345678901234567890.5\n");
    for (int cut = 0; cut <= text.length; cut += 5) {
      exec("DROP TABLE IF EXISTS nt");
      exec("CREATE TABLE nt (b BYTEA, j JSON, jb JSONB, p NUMERIC(5, 1), u NUMERIC)");
      copy("COPY nt FROM STDIN", text, cut);
      copy("COPY nt FROM STDIN WITH (FORMAT csv)", csv, Math.min(cut, csv.length));
      List<String> got = new ArrayList<>();
      try (StatementResult r = session.execute("SELECT b, j, jb, p, u FROM nt")) {
        StatementResult.Rows rows = (StatementResult.Rows) r;
        while (rows.cursor().next()) {
          List<String> row = new ArrayList<>();
          for (int i = 0; i < 5; i++) {
            Object v = rows.cursor().get(i);
            row.add(v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : String.valueOf(v));
          }
          got.add(String.join("|", row));
        }
      }
      got.sort(null);
      assertEquals(List.of("00ff|{\"a\" :1}|{\"b\": [1, 2]}|1.3|-0.000100",
          "0a0b|{\"k\": \"v,w\"}|[]|-7.0|12345678901234567890.5", "null|null|null|null|null"), got, "cut " + cut);
    }
    LumaException e = assertThrows(LumaException.class,
        () -> copy("COPY nt (j) FROM STDIN", utf8("{bad\n"), 2));
    assertEquals("22P02", e.sqlState());
  }

  // ---- helpers ----

  private void exec(String sql) {
    session.execute(sql).close();
  }

  /** A fresh, empty table c. */
  private void recreate() {
    exec("DROP TABLE c");
    exec(TABLE);
  }

  /** COPY with the data in two chunks split at {@code cut}, the way clients chunk at random. */
  private void copy(String sql, byte[] data, int cut) {
    try (StatementResult r = session.execute(sql)) {
      CopyIn in = ((StatementResult.CopyInStarted) r).sink();
      in.accept(Arrays.copyOfRange(data, 0, cut));
      in.accept(Arrays.copyOfRange(data, cut, data.length));
      in.finish();
    }
  }

  private List<String> rows(String sql) {
    try (StatementResult r = session.execute(sql)) {
      StatementResult.Rows rows = (StatementResult.Rows) r;
      List<String> out = new ArrayList<>();
      while (rows.cursor().next()) {
        List<String> row = new ArrayList<>();
        for (int i = 0; i < rows.columns().size(); i++) {
          Object v = rows.cursor().get(i);
          row.add(v instanceof LocalDateTime t ? ValueCoercion.formatTimestamp(t) : String.valueOf(v));
        }
        out.add(String.join("|", row));
      }
      return out;
    }
  }
}

package io.lumadb.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lumadb.sql.pgcatalog.TimeFunctions;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The dialect's time-series rewrites, PostgreSQL intervals and the run-time functions. */
class TimeSeriesSyntaxTest {
  private static void rewrites(String expected, String sql) {
    assertEquals(expected, PgDialect.rewrite(sql));
  }

  private static long ms(String ts) {
    return LocalDateTime.parse(ts.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  private static String ts(long ms) {
    return ValueCoercion.formatTimestamp(LocalDateTime.ofEpochSecond(Math.floorDiv(ms, 1000),
        (int) Math.floorMod(ms, 1000) * 1_000_000, ZoneOffset.UTC));
  }

  @Test
  void intervalLiterals() {
    rewrites("SELECT CURRENT_TIMESTAMP - INTERVAL '0 00:05:00.000' DAY(9) TO SECOND(3)",
        "SELECT now() - INTERVAL '5 minutes'");
    rewrites("x + INTERVAL '0 01:00:00.000' DAY(9) TO SECOND(3)", "x + '1 hour'::interval");
    rewrites("x + INTERVAL '-1 02:00:00.000' DAY(9) TO SECOND(3)", "x + CAST('-1 day -2 hours' AS interval)");
    rewrites("x + INTERVAL '1-2' YEAR(9) TO MONTH", "x + interval '1 year 2 mons'");
    // Calcite's own syntax is left alone.
    assertEquals("x + INTERVAL '1' HOUR", PgDialect.rewrite("x + INTERVAL '1' HOUR"));
  }

  @Test
  void postgresIntervalInput() {
    assertEquals(new PgInterval(0, 5_400_000), PgInterval.parse("90 minutes"));
    assertEquals(new PgInterval(0, 5_400_000), PgInterval.parse("1.5 hours"));
    assertEquals(new PgInterval(0, 5_400_000), PgInterval.parse("1 hour 30 mins"));
    assertEquals(new PgInterval(0, 93_600_000), PgInterval.parse("1 02:00:00"));
    assertEquals(new PgInterval(0, -86_400_000), PgInterval.parse("1 day ago"));
    assertEquals(new PgInterval(0, 604_800_000), PgInterval.parse("@ 1 week"));
    assertEquals(new PgInterval(0, 30_000), PgInterval.parse("30"));
    assertEquals(new PgInterval(14, 0), PgInterval.parse("1 year 2 months"));
    assertEquals(new PgInterval(0, 1), PgInterval.parse("1000 microseconds"));
    assertEquals("22007", assertThrows(LumaException.class,
        () -> PgInterval.parse("5 parsecs")).sqlState());
    assertEquals("22007", assertThrows(LumaException.class, () -> PgInterval.parse("")).sqlState());
    assertEquals("0A000", assertThrows(LumaException.class,
        () -> new PgInterval(1, 1).toCalciteLiteral()).sqlState());
  }

  @Test
  void dateTruncWithALiteralUnitIsAFloor() {
    rewrites("SELECT FLOOR(CAST(ts AS TIMESTAMP) TO HOUR) AS \"date_trunc\", count(*) AS \"count\" FROM m GROUP BY 1",
        "SELECT date_trunc('hour', ts), count(*) FROM m GROUP BY 1");
    rewrites("SELECT (FLOOR(CAST(ts AS TIMESTAMP) - INTERVAL '1' DAY TO WEEK) + INTERVAL '1' DAY) d",
        "SELECT date_trunc('Weeks', ts) d");
    rewrites("SELECT lumadb_date_trunc(u, ts) x", "SELECT date_trunc(u, ts) x");
    rewrites("SELECT lumadb_date_trunc('fortnight', ts) x", "SELECT date_trunc('fortnight', ts) x");
  }

  @Test
  void dateTruncAtRunTime() {
    String t = "2024-08-15 10:11:12.345";
    assertEquals(ms("2024-08-15 10:11:12.345"), TimeFunctions.date_trunc("ms", ms(t)));
    assertEquals(ms("2024-08-15 10:11:12"), TimeFunctions.date_trunc("second", ms(t)));
    assertEquals(ms("2024-08-15 10:11:00"), TimeFunctions.date_trunc("MIN", ms(t)));
    assertEquals(ms("2024-08-12 00:00:00"), TimeFunctions.date_trunc("week", ms(t)));
    assertEquals(ms("2024-07-01 00:00:00"), TimeFunctions.date_trunc("quarter", ms(t)));
    assertEquals(ms("2020-01-01 00:00:00"), TimeFunctions.date_trunc("decade", ms(t)));
    assertEquals(ms("1901-01-01 00:00:00"), TimeFunctions.date_trunc("century", ms("2000-06-01 00:00:00")));
    assertEquals(ms("2001-01-01 00:00:00"), TimeFunctions.date_trunc("millennium", ms(t)));
    assertEquals(ms("1969-12-29 00:00:00"), TimeFunctions.date_trunc("week", ms("1970-01-01 00:00:00")));
    assertEquals(ms("1969-12-31 23:00:00"), TimeFunctions.date_trunc("hour", ms("1969-12-31 23:59:59")));
    LumaException e = assertThrows(LumaException.class, () -> TimeFunctions.date_trunc("foo", 0L));
    assertEquals("22023", e.sqlState());
    assertEquals("unit \"foo\" not recognized for type timestamp without time zone", e.getMessage());
    assertEquals("0A000", assertThrows(LumaException.class,
        () -> TimeFunctions.date_trunc("timezone", 0L)).sqlState());
  }

  @Test
  void timeBucketFollowsTimescaleDb() {
    long minute = 60_000;
    assertEquals("2024-01-01 10:35:00", ts(TimeFunctions.time_bucket(5 * minute, ms("2024-01-01 10:37:12"))));
    assertEquals("2024-01-08 00:00:00", ts(TimeFunctions.time_bucket(7 * 1440 * minute, ms("2024-01-10 12:00:00"))));
    assertEquals("1969-12-31 23:00:00", ts(TimeFunctions.time_bucket(60 * minute, ms("1969-12-31 23:30:00"))));
    assertEquals("2023-12-31 06:00:00", ts(TimeFunctions.time_bucket(1440 * minute,
        ms("2024-01-01 00:00:00"), ms("2024-01-01 06:00:00"))));
    assertEquals("2024-03-01 00:00:00", ts(TimeFunctions.time_bucket_months(5, ms("2024-05-17 08:00:00"))));
    assertEquals("2024-05-01 00:00:00", ts(TimeFunctions.time_bucket_months(3, ms("2024-05-17 08:00:00"),
        ms("2024-02-15 00:00:00"))));
    assertEquals("22023", assertThrows(LumaException.class,
        () -> TimeFunctions.time_bucket(0, 0)).sqlState());
  }

  @Test
  void firstLastAndPercentiles() {
    rewrites("SELECT host, ARG_MIN(ARRAY[v], ts)[1] AS \"first\", ARG_MAX(ARRAY[v], ts)[1] AS \"last\" FROM m GROUP BY host",
        "SELECT host, first(v, ts), last(v, ts) FROM m GROUP BY host");
    rewrites("SELECT lumadb_percentile_cont(ARRAY_AGG(v ORDER BY v DESC) FILTER (WHERE (v) IS NOT NULL), 0.5) AS \"percentile_cont\" FROM m",
        "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v DESC) FROM m");
    assertEquals(2.5, TimeFunctions.lumadb_percentile_cont(java.util.List.of(1.0, 4.0), 0.5));
    assertEquals(2, TimeFunctions.lumadb_percentile_disc_index(4, 0.5));
    assertEquals(1, TimeFunctions.lumadb_percentile_disc_index(4, 0));
    assertEquals("22003", assertThrows(LumaException.class,
        () -> TimeFunctions.lumadb_percentile_cont(java.util.List.of(1.0), 1.5)).sqlState());
  }

  @Test
  void distinctOnBecomesQualify() {
    rewrites("SELECT  host, v FROM m  QUALIFY ROW_NUMBER() OVER (PARTITION BY host ORDER BY host, ts DESC) = 1 ORDER BY host, ts DESC LIMIT 5",
        "SELECT DISTINCT ON (host) host, v FROM m ORDER BY host, ts DESC LIMIT 5");
    rewrites("SELECT  host AS h, v FROM m  QUALIFY ROW_NUMBER() OVER (PARTITION BY host ORDER BY host, v) = 1 ORDER BY 1, v",
        "SELECT DISTINCT ON (h) host AS h, v FROM m ORDER BY 1, v");
    rewrites("SELECT  * FROM m QUALIFY ROW_NUMBER() OVER (PARTITION BY host) = 1 ",
        "SELECT DISTINCT ON (host) * FROM m");
    LumaException e = assertThrows(LumaException.class,
        () -> PgDialect.rewrite("SELECT DISTINCT ON (host) host, v FROM m ORDER BY v, host"));
    assertEquals("42P10", e.sqlState());
    assertThrows(LumaException.class,
        () -> PgDialect.rewrite("SELECT DISTINCT ON (host, a) host FROM m ORDER BY host, v"));
  }
}

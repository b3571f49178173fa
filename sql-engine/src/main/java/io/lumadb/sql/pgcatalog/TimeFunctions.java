package io.lumadb.sql.pgcatalog;

import io.lumadb.sql.LumaException;
import io.lumadb.sql.PgTimeUnit;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Time-series functions over Calcite's internal values (TIMESTAMP = epoch milliseconds, zone-less
 * UTC): {@code date_trunc} with a unit known only at run time (a literal unit is rewritten to
 * {@code FLOOR(ts TO unit)} by the dialect), TimescaleDB's {@code time_bucket}, and the final
 * step of {@code percentile_cont}/{@code percentile_disc} over the sorted values.
 */
public final class TimeFunctions {
  private TimeFunctions() {}

  private static final long DAY = 86_400_000L;

  /**
   * TimescaleDB's default origin, Monday 2000-01-03: day and week buckets start at midnight. One
   * definition, with the scan's GROUP BY, which floors time_bucket keys from it.
   */
  public static final long DEFAULT_ORIGIN = io.lumadb.storage.calcite.AggregateScanRule.TIME_BUCKET_ORIGIN;

  // date_trunc

  /** {@code date_trunc(text, timestamp)} when the unit is not a literal (strict). */
  public static Long date_trunc(Object unit, Object ts) {
    if (unit == null || ts == null) {
      return null;
    }
    return trunc(PgTimeUnit.truncation(unit.toString()), millis(ts));
  }

  private static long millis(Object ts) {
    if (ts instanceof Long l) {
      return l;
    }
    if (ts instanceof Integer days) {
      return days * DAY; // a DATE
    }
    if (ts instanceof java.sql.Timestamp t) {
      return t.toLocalDateTime().toInstant(ZoneOffset.UTC).toEpochMilli();
    }
    if (ts instanceof java.sql.Date d) {
      return d.toLocalDate().toEpochDay() * DAY;
    }
    return io.lumadb.sql.ValueCoercion.parseTimestamp(ts.toString())
        .toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  /** PostgreSQL's timestamp_trunc on epoch milliseconds. */
  public static long trunc(PgTimeUnit unit, long ms) {
    switch (unit) {
      case MICROSECOND, MILLISECOND:
        return ms;
      case SECOND:
        return Math.floorDiv(ms, 1000L) * 1000L;
      case MINUTE:
        return Math.floorDiv(ms, 60_000L) * 60_000L;
      case HOUR:
        return Math.floorDiv(ms, 3_600_000L) * 3_600_000L;
      case DAY:
        return Math.floorDiv(ms, DAY) * DAY;
      case WEEK: {
        long days = Math.floorDiv(ms, DAY);
        return (days - Math.floorMod(days + 3, 7)) * DAY; // ISO weeks: 1970-01-01 was a Thursday
      }
      default:
        break;
    }
    LocalDate d = LocalDate.ofEpochDay(Math.floorDiv(ms, DAY));
    int y = d.getYear();
    LocalDate out = switch (unit) {
      case MONTH -> d.withDayOfMonth(1);
      case QUARTER -> LocalDate.of(y, (d.getMonthValue() - 1) / 3 * 3 + 1, 1);
      case YEAR -> LocalDate.of(y, 1, 1);
      case DECADE -> LocalDate.of(y > 0 ? y / 10 * 10 : -((8 - (y - 1)) / 10) * 10, 1, 1);
      case CENTURY -> LocalDate.of(y > 0 ? (y + 99) / 100 * 100 - 99
          : -((99 - (y - 1)) / 100) * 100 + 1, 1, 1);
      case MILLENNIUM -> LocalDate.of(y > 0 ? (y + 999) / 1000 * 1000 - 999
          : -((999 - (y - 1)) / 1000) * 1000 + 1, 1, 1);
      default -> throw new IllegalArgumentException(unit.name());
    };
    return out.toEpochDay() * DAY;
  }

  // time_bucket (TimescaleDB)

  /** {@code time_bucket(interval, ts)} for a day-time interval, from TimescaleDB's origin. */
  public static long time_bucket(long width, long ts) {
    return time_bucket(width, ts, DEFAULT_ORIGIN);
  }

  /** {@code time_bucket(interval, ts, origin)}: buckets of {@code width} ms starting at origin. */
  public static long time_bucket(long width, long ts, long origin) {
    if (width <= 0) {
      throw new LumaException("22023", "period must be greater than 0");
    }
    long offset = origin % width;
    return Math.floorDiv(ts - offset, width) * width + offset;
  }

  /**
   * {@code time_bucket(interval, ts)} for a month interval: whole months counted from
   * 2000-01-01, as TimescaleDB does (the day is ignored).
   */
  public static long time_bucket_months(int months, long ts) {
    return bucketMonths(months, ts, 2000 * 12);
  }

  /** With an origin: months counted from the origin's month (its day and time are ignored). */
  public static long time_bucket_months(int months, long ts, long origin) {
    LocalDate o = LocalDate.ofEpochDay(Math.floorDiv(origin, DAY));
    return bucketMonths(months, ts, o.getYear() * 12 + o.getMonthValue() - 1);
  }

  private static long bucketMonths(int period, long ts, int originMonth) {
    if (period <= 0) {
      throw new LumaException("22023", "period must be greater than 0");
    }
    LocalDate d = LocalDate.ofEpochDay(Math.floorDiv(ts, DAY));
    int month = d.getYear() * 12 + d.getMonthValue() - 1;
    int offset = originMonth % period;
    int bucket = Math.floorDiv(month - offset, period) * period + offset;
    return LocalDate.of(Math.floorDiv(bucket, 12), Math.floorMod(bucket, 12) + 1, 1).toEpochDay() * DAY;
  }

  // percentile_cont / percentile_disc WITHIN GROUP (ORDER BY x), over the sorted non-null values

  private static double fraction(Object f) {
    double p = ((Number) f).doubleValue();
    if (p < 0 || p > 1 || Double.isNaN(p)) {
      throw new LumaException("22003", "percentile value " + (p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p))
          + " is not between 0 and 1");
    }
    return p;
  }

  /** PostgreSQL's percentile_cont: linear interpolation between the two nearest rows. */
  public static Double lumadb_percentile_cont(Object sorted, Object fraction) {
    if (sorted == null || fraction == null) {
      return null;
    }
    double p = fraction(fraction);
    List<?> values = (List<?>) sorted;
    if (values.isEmpty()) {
      return null;
    }
    double pos = p * (values.size() - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    double a = ((Number) values.get(lo)).doubleValue();
    if (lo == hi) {
      return a;
    }
    double b = ((Number) values.get(hi)).doubleValue();
    return a + (b - a) * (pos - lo);
  }

  /** The 1-based position percentile_disc picks among {@code count} sorted values. */
  public static Integer lumadb_percentile_disc_index(Object count, Object fraction) {
    if (count == null || fraction == null) {
      return null;
    }
    double p = fraction(fraction);
    int n = ((Number) count).intValue();
    return n == 0 ? null : (int) Math.max(1, Math.ceil(p * n));
  }
}

package io.lumadb.sql;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * PostgreSQL's time units as {@code date_trunc} and interval input spell them (the
 * {@code deltatktbl} of PostgreSQL's datetime.c: "hours", "hr", "mins", "ms", "y", ...;
 * case-insensitive, words longer than 10 characters compared by their first 10, as PostgreSQL
 * does, so "milliseconds" is "millisecon").
 */
public enum PgTimeUnit {
  MICROSECOND, MILLISECOND, SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, QUARTER, YEAR, DECADE,
  CENTURY, MILLENNIUM,
  /** "timezone", "timezone_h", "timezone_m": units, but nothing to truncate or add. */
  TIMEZONE;

  private static final int TOKMAXLEN = 10;

  private static final Map<String, PgTimeUnit> NAMES = new HashMap<>();

  static {
    names(MICROSECOND, "microsecon", "us", "usec", "usecond", "useconds", "usecs");
    names(MILLISECOND, "millisecon", "ms", "msec", "msecond", "mseconds", "msecs");
    names(SECOND, "s", "sec", "second", "seconds", "secs");
    names(MINUTE, "min", "mins", "minute", "minutes");
    names(HOUR, "h", "hour", "hours", "hr", "hrs");
    names(DAY, "d", "day", "days");
    names(WEEK, "w", "week", "weeks");
    names(MONTH, "mon", "mons", "month", "months");
    names(QUARTER, "qtr", "quarter");
    names(YEAR, "y", "year", "years", "yr", "yrs");
    names(DECADE, "dec", "decade", "decades", "decs");
    names(CENTURY, "c", "cent", "centuries", "century");
    names(MILLENNIUM, "mil", "millennia", "millennium", "mils");
    names(TIMEZONE, "timezone", "timezone_h", "timezone_m");
  }

  private static void names(PgTimeUnit unit, String... names) {
    for (String n : names) {
      NAMES.put(n, unit);
    }
  }

  /** The unit a name means, or null. */
  public static PgTimeUnit decode(String name) {
    String s = name.toLowerCase(Locale.ROOT);
    if (s.length() > TOKMAXLEN) {
      s = s.substring(0, TOKMAXLEN);
    }
    return NAMES.get(s);
  }

  /**
   * The unit {@code date_trunc} truncates to, or PostgreSQL's error for a timestamp without
   * time zone: 22023 for a word that is no unit, 0A000 for a unit without a truncation.
   */
  public static PgTimeUnit truncation(String units) {
    String name = units.toLowerCase(Locale.ROOT); // PostgreSQL reports the unit in lower case
    PgTimeUnit unit = decode(name);
    if (unit == null) {
      throw new LumaException("22023",
          "unit \"" + name + "\" not recognized for type timestamp without time zone");
    }
    if (unit == TIMEZONE) {
      throw new LumaException("0A000",
          "unit \"" + name + "\" not supported for type timestamp without time zone");
    }
    return unit;
  }
}

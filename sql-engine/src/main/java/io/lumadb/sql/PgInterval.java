package io.lumadb.sql;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL interval written as text ({@code '5 minutes'}, {@code '1 hour 30 min'},
 * {@code '2 days 01:00:00'}, {@code '-1 hour'}, {@code '3 mons'}, {@code '1 day ago'}), which
 * Calcite's parser does not read: months, and the rest in milliseconds (LumaDB's timestamps are
 * zone-less with millisecond precision, so a day is always 24 hours).
 */
public record PgInterval(int months, long millis) {
  private static final long DAY = 86_400_000L;

  private static final Pattern TOKEN = Pattern.compile(
      "\\s*(?:(?<time>[+-]?\\d+:\\d{1,2}(?::\\d{1,2}(?:\\.\\d+)?)?)"
          + "|(?<num>[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+))\\s*(?<unit>[a-zA-Z_]+)?"
          + "|(?<word>[a-zA-Z_]+))");

  /** Parses PostgreSQL's interval input; 22007 as PostgreSQL reports text it cannot read. */
  public static PgInterval parse(String text) {
    String s = text.strip();
    if (s.startsWith("@")) {
      s = s.substring(1);
    }
    BigDecimal months = BigDecimal.ZERO;
    BigDecimal millis = BigDecimal.ZERO;
    boolean any = false;
    boolean ago = false;
    Matcher m = TOKEN.matcher(s);
    int at = 0;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at || m.end() == at) {
        if (s.substring(at).isBlank()) {
          break;
        }
        throw invalid(text);
      }
      at = m.end();
      if (ago) {
        throw invalid(text); // "ago" comes last
      }
      if (m.group("time") != null) {
        String t = m.group("time");
        boolean negative = t.startsWith("-");
        String[] parts = t.replaceFirst("^[+-]", "").split(":");
        BigDecimal v = new BigDecimal(parts[0]).multiply(BigDecimal.valueOf(3_600_000L))
            .add(new BigDecimal(parts[1]).multiply(BigDecimal.valueOf(60_000L)));
        if (parts.length > 2) {
          v = v.add(new BigDecimal(parts[2]).multiply(BigDecimal.valueOf(1000L)));
        }
        millis = millis.add(negative ? v.negate() : v);
        any = true;
      } else if (m.group("num") != null) {
        BigDecimal n = new BigDecimal(m.group("num"));
        String unitName = m.group("unit");
        // A number without a unit is seconds, or days before a time ('1 02:00:00').
        PgTimeUnit unit = unitName != null ? PgTimeUnit.decode(unitName)
            : s.substring(at).matches("\\s*[+-]?\\d+:.*") ? PgTimeUnit.DAY : PgTimeUnit.SECOND;
        if (unit == null) {
          throw invalid(text);
        }
        switch (unit) {
          case MICROSECOND -> millis = millis.add(n.movePointLeft(3));
          case MILLISECOND -> millis = millis.add(n);
          case SECOND -> millis = millis.add(n.movePointRight(3));
          case MINUTE -> millis = millis.add(n.multiply(BigDecimal.valueOf(60_000L)));
          case HOUR -> millis = millis.add(n.multiply(BigDecimal.valueOf(3_600_000L)));
          case DAY -> millis = millis.add(n.multiply(BigDecimal.valueOf(DAY)));
          case WEEK -> millis = millis.add(n.multiply(BigDecimal.valueOf(7 * DAY)));
          case MONTH -> {
            // PostgreSQL: a fraction of a month is counted as 30-day days.
            BigDecimal whole = new BigDecimal(n.toBigInteger());
            months = months.add(whole);
            millis = millis.add(n.subtract(whole).multiply(BigDecimal.valueOf(30 * DAY)));
          }
          case YEAR -> months = months.add(wholeMonths(n, 12));
          case DECADE -> months = months.add(wholeMonths(n, 120));
          case CENTURY -> months = months.add(wholeMonths(n, 1200));
          case MILLENNIUM -> months = months.add(wholeMonths(n, 12000));
          default -> throw invalid(text);
        }
        any = true;
      } else {
        String word = m.group("word").toLowerCase(Locale.ROOT);
        if (!word.equals("ago") || !any) {
          throw invalid(text);
        }
        ago = true;
      }
    }
    if (!any) {
      throw invalid(text);
    }
    long ms = millis.setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    int mo = months.intValueExact();
    return ago ? new PgInterval(-mo, -ms) : new PgInterval(mo, ms);
  }

  private static BigDecimal wholeMonths(BigDecimal n, int perUnit) {
    return new BigDecimal(n.multiply(BigDecimal.valueOf(perUnit)).toBigInteger());
  }

  private static LumaException invalid(String text) {
    return new LumaException("22007", "invalid input syntax for type interval: \"" + text + "\"");
  }

  /**
   * The interval as a Calcite literal: {@code INTERVAL '-0 01:30:00.000' DAY(9) TO SECOND(3)}
   * or {@code INTERVAL '1-2' YEAR(9) TO MONTH}. Calcite keeps the two kinds apart, so an
   * interval with both months and a time is refused (0A000).
   */
  public String toCalciteLiteral() {
    if (months != 0 && millis != 0) {
      throw new LumaException("0A000",
          "intervals that combine months or years with days or times are not supported");
    }
    if (months != 0) {
      int abs = Math.abs(months);
      return "INTERVAL '" + (months < 0 ? "-" : "") + abs / 12 + "-" + abs % 12
          + "' YEAR(9) TO MONTH";
    }
    long abs = Math.abs(millis);
    return String.format(Locale.ROOT, "INTERVAL '%s%d %02d:%02d:%02d.%03d' DAY(9) TO SECOND(3)",
        millis < 0 ? "-" : "", abs / DAY, abs / 3_600_000L % 24, abs / 60_000L % 60,
        abs / 1000 % 60, abs % 1000);
  }
}

package io.lumadb.sql;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * Parsers for the plainest spellings of numbers and timestamps, straight from UTF-8 bytes, for
 * bulk loads. Each either returns exactly what the general conversion ({@link ValueCoercion})
 * would, or says it does not take the input (NaN, false, {@link Long#MIN_VALUE}); then the
 * caller uses the general conversion, which also reports errors.
 */
final class FastParse {
  /** Powers of ten that doubles hold exactly. */
  private static final double[] POWERS = new double[23];

  static {
    POWERS[0] = 1;
    for (int i = 1; i < POWERS.length; i++) {
      POWERS[i] = POWERS[i - 1] * 10;
    }
  }

  private FastParse() {}

  /**
   * {@code [+-]digits[.digits]} with at most 15 digits in all, as the correctly rounded double
   * ({@code Double.parseDouble} gives the same: a whole number below 2^53 divided by an exact
   * power of ten rounds once); NaN for anything else.
   */
  static double decimal(byte[] b, int from, int to) {
    int i = from;
    boolean negative = false;
    if (i < to && (b[i] == '-' || b[i] == '+')) {
      negative = b[i] == '-';
      i++;
    }
    long mantissa = 0;
    int digits = 0;
    int fraction = -1;
    for (; i < to; i++) {
      int c = b[i];
      if (c >= '0' && c <= '9') {
        mantissa = mantissa * 10 + (c - '0');
        digits++;
        if (fraction >= 0) {
          fraction++;
        }
      } else if (c == '.' && fraction < 0) {
        fraction = 0;
      } else {
        return Double.NaN;
      }
    }
    if (digits == 0 || digits > 15 || fraction == 0) {
      return Double.NaN; // nothing, too long for the exact path, or "1." (left to the general path)
    }
    double v = fraction > 0 ? mantissa / POWERS[fraction] : mantissa;
    return negative ? -v : v;
  }

  /** True for {@code [+-]digits} with 1 to 18 digits (no overflow possible). */
  static boolean isWholeNumber(byte[] b, int from, int to) {
    int i = from < to && (b[from] == '-' || b[from] == '+') ? from + 1 : from;
    if (to - i < 1 || to - i > 18) {
      return false;
    }
    for (; i < to; i++) {
      if (b[i] < '0' || b[i] > '9') {
        return false;
      }
    }
    return true;
  }

  /** The value of a field {@link #isWholeNumber} accepted. */
  static long wholeNumber(byte[] b, int from, int to) {
    boolean negative = b[from] == '-';
    int i = b[from] == '-' || b[from] == '+' ? from + 1 : from;
    long v = 0;
    for (; i < to; i++) {
      v = v * 10 + (b[i] - '0');
    }
    return negative ? -v : v;
  }

  /**
   * {@code yyyy-MM-dd}, optionally followed by {@code ' '} or {@code 'T'} and
   * {@code HH:mm:ss[.f{1,9}]}, as epoch milliseconds (UTC, the fraction truncated to
   * milliseconds, as the general path does); {@link Long#MIN_VALUE} for anything else.
   */
  static long timestampMillis(byte[] b, int from, int to) {
    int n = to - from;
    if (n != 10 && n < 19) {
      return Long.MIN_VALUE;
    }
    int year = digits(b, from, 4);
    int month = digits(b, from + 5, 2);
    int day = digits(b, from + 8, 2);
    if (year < 0 || month < 1 || day < 1 || b[from + 4] != '-' || b[from + 7] != '-') {
      return Long.MIN_VALUE;
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      return Long.MIN_VALUE; // the general path words the error
    }
    if (n == 10) {
      return epochDay * 86_400_000L;
    }
    byte sep = b[from + 10];
    int hour = digits(b, from + 11, 2);
    int minute = digits(b, from + 14, 2);
    int second = digits(b, from + 17, 2);
    if ((sep != ' ' && sep != 'T') || b[from + 13] != ':' || b[from + 16] != ':' || hour < 0 || hour > 23
        || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return Long.MIN_VALUE;
    }
    int millis = 0;
    if (n > 19) {
      int fractionDigits = n - 20;
      if (b[from + 19] != '.' || fractionDigits < 1 || fractionDigits > 9) {
        return Long.MIN_VALUE;
      }
      for (int i = 0; i < fractionDigits; i++) {
        int c = b[from + 20 + i];
        if (c < '0' || c > '9') {
          return Long.MIN_VALUE;
        }
        if (i < 3) {
          millis = millis * 10 + (c - '0');
        }
      }
      for (int i = fractionDigits; i < 3; i++) {
        millis *= 10;
      }
    }
    return (epochDay * 86_400L + hour * 3600L + minute * 60L + second) * 1000L + millis;
  }

  /** {@code count} decimal digits at {@code at} as a number, or -1. */
  private static int digits(byte[] b, int at, int count) {
    int v = 0;
    for (int i = at; i < at + count; i++) {
      int c = b[i];
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}

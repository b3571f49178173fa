package io.lumadb.sql.pgcatalog;

import io.lumadb.sql.LumaException;

/**
 * PostgreSQL's text functions whose Calcite versions answer differently: {@code left} and
 * {@code right} with a negative count (all but the last / first |n| characters, where Calcite
 * gives ''), and {@code btrim}, {@code ltrim}, {@code rtrim} with the characters to trim (Calcite
 * has only the one-argument forms), and {@code reverse}, which Calcite's PostgreSQL library lacks. Strict: a NULL argument gives NULL. Characters are code
 * points, as in a UTF-8 PostgreSQL database.
 */
public final class TextFunctions {
  private TextFunctions() {}

  public static String left(Object text, Object count) {
    return part(text, count, true);
  }

  public static String right(Object text, Object count) {
    return part(text, count, false);
  }

  /** The first (or last) n characters; with a negative n, all but the last (or first) |n|. */
  private static String part(Object text, Object count, boolean first) {
    if (text == null || count == null) {
      return null;
    }
    String s = text.toString();
    int len = s.codePointCount(0, s.length());
    long n = count(count);
    int keep = (int) (n >= 0 ? Math.min(n, len) : Math.max(0, len + n));
    return first ? s.substring(0, s.offsetByCodePoints(0, keep)) : s.substring(s.offsetByCodePoints(0, len - keep));
  }

  public static String reverse(Object text) {
    return text == null ? null : new StringBuilder(text.toString()).reverse().toString(); // keeps surrogate pairs
  }

  public static String btrim(Object text) {
    return btrim(text, " ");
  }

  public static String btrim(Object text, Object chars) {
    return trim(text, chars, true, true);
  }

  public static String ltrim(Object text) {
    return ltrim(text, " ");
  }

  public static String ltrim(Object text, Object chars) {
    return trim(text, chars, true, false);
  }

  public static String rtrim(Object text) {
    return rtrim(text, " ");
  }

  public static String rtrim(Object text, Object chars) {
    return trim(text, chars, false, true);
  }

  private static String trim(Object text, Object chars, boolean leading, boolean trailing) {
    if (text == null || chars == null) {
      return null;
    }
    String s = text.toString();
    String set = chars.toString();
    int start = 0;
    int end = s.length();
    while (leading && start < end) {
      int cp = s.codePointAt(start);
      if (set.indexOf(cp) < 0) {
        break;
      }
      start += Character.charCount(cp);
    }
    while (trailing && end > start) {
      int cp = s.codePointBefore(end);
      if (set.indexOf(cp) < 0) {
        break;
      }
      end -= Character.charCount(cp);
    }
    return s.substring(start, end);
  }

  /** An integer argument (any whole-number type; text as PostgreSQL's unknown literal is read). */
  private static long count(Object n) {
    if (n instanceof Number num) {
      return num instanceof Double || num instanceof Float || num instanceof java.math.BigDecimal
          ? Math.round(num.doubleValue()) : num.longValue(); // PostgreSQL rounds a number cast to integer
    }
    try {
      return Long.parseLong(n.toString().trim());
    } catch (NumberFormatException e) {
      throw new LumaException("22P02", "invalid input syntax for type integer: \"" + n + "\"");
    }
  }
}

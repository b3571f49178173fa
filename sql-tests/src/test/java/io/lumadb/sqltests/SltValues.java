package io.lumadb.sqltests;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * sqllogictest's value conventions: how a result value is printed for its column type
 * ({@code I} integer, {@code R} real, {@code T} text), and the MD5 of a result.
 */
public final class SltValues {
  private SltValues() {}

  /**
   * Prints a value the way sqllogictest does. {@code NULL} for SQL NULL; {@code I}: an integer
   * (decimals truncated toward zero, booleans as 1/0, non-numeric text as 0, as SQLite and JDBC's
   * {@code getLong} do); {@code R}: three decimals; {@code T} (and any other letter): the text,
   * {@code (empty)} for the empty string, characters outside printable ASCII as {@code @}.
   */
  public static String format(char type, String raw) {
    if (raw == null) {
      return "NULL";
    }
    return switch (type) {
      case 'I' -> integer(raw);
      case 'R' -> real(raw);
      default -> text(raw);
    };
  }

  static String integer(String raw) {
    String s = raw.strip();
    if (s.equals("t") || s.equals("true")) {
      return "1";
    }
    if (s.equals("f") || s.equals("false")) {
      return "0";
    }
    try {
      return new BigDecimal(s).toBigInteger().toString();
    } catch (NumberFormatException e) {
      try {
        double d = Double.parseDouble(s);
        return Double.isFinite(d) ? new BigDecimal(d).toBigInteger().toString() : s;
      } catch (NumberFormatException e2) {
        return "0";
      }
    }
  }

  static String real(String raw) {
    String s = raw.strip();
    if (s.equals("t") || s.equals("true")) {
      return "1.000";
    }
    if (s.equals("f") || s.equals("false")) {
      return "0.000";
    }
    double d;
    try {
      d = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return "0.000";
    }
    if (!Double.isFinite(d)) {
      return s;
    }
    // Like SQLite's printf("%.3f"): round half up on the binary value, keep the sign of -0.0001.
    String digits = new BigDecimal(Math.abs(d)).setScale(3, RoundingMode.HALF_UP).toPlainString();
    return d < 0 ? "-" + digits : digits;
  }

  static String text(String raw) {
    if (raw.isEmpty()) {
      return "(empty)";
    }
    StringBuilder b = null;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        if (b == null) {
          b = new StringBuilder(raw);
        }
        b.setCharAt(i, '@');
      }
    }
    return b == null ? raw : b.toString();
  }

  /** The MD5 (lower-case hex) of the values, each followed by a newline, as sqllogictest hashes. */
  public static String md5(List<String> values) {
    try {
      MessageDigest md = MessageDigest.getInstance("MD5");
      for (String v : values) {
        md.update(v.getBytes(StandardCharsets.UTF_8));
        md.update((byte) '\n');
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

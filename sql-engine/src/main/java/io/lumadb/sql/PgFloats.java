package io.lumadb.sql;

import java.math.BigDecimal;

/**
 * PostgreSQL's text form of float8 and float4 values (shortest exact digits; an exponent below
 * 10^-4 or from 10^15, 10^6 for float4: {@code 1e+20}, {@code 1e-05}, {@code 2}, {@code 0.5}): what
 * pgwire sends and what a float cast to text reads ({@code pgcatalog.PgCasts}), where Java's
 * {@code Double.toString} gives {@code 1.0E20} and {@code 2.0}.
 */
public final class PgFloats {
  private PgFloats() {}

  /** Text format of a float8 (double precision) value. */
  public static String float8(double d) {
    return format(d, 15);
  }

  /** Text format of a float4 (real) value. */
  public static String float4(float f) {
    return format(f, 6, Float.toString(f));
  }

  private static String format(double d, int maxPlainDigits) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15 && d != 0) {
      return Long.toString((long) d); // a whole number below 10^15 prints plain, as PostgreSQL does
    }
    String repr = Double.toString(d);
    if (repr.indexOf('E') < 0 && !Double.isNaN(d) && !Double.isInfinite(d) && d != 0) {
      // Java writes [0.001, 10^7) without an exponent, where PostgreSQL writes plain digits too
      // (its exponent there is -3..6, below 15): the same digits, a trailing ".0" aside.
      return repr.endsWith(".0") ? repr.substring(0, repr.length() - 2) : repr;
    }
    return format(d, maxPlainDigits, repr);
  }

  /** The general path of float8 output, without the shortcuts of {@link #format(double, int)} (for tests). */
  public static String float8General(double d) {
    return format(d, 15, Double.toString(d));
  }

  /**
   * PostgreSQL's shortest-exact float output: plain digits unless the decimal exponent is
   * below -4 or at least {@code maxPlainDigits}, then d.ddde+XX.
   */
  private static String format(double d, int maxPlainDigits, String javaRepr) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0" : "0";
    }
    BigDecimal bd = new BigDecimal(javaRepr).stripTrailingZeros();
    int exponent = bd.precision() - bd.scale() - 1;
    if (exponent < -4 || exponent >= maxPlainDigits) {
      String digits = bd.unscaledValue().abs().toString();
      StringBuilder b = new StringBuilder();
      if (bd.signum() < 0) {
        b.append('-');
      }
      b.append(digits.charAt(0));
      if (digits.length() > 1) {
        b.append('.').append(digits, 1, digits.length());
      }
      b.append('e').append(exponent < 0 ? '-' : '+');
      int abs = Math.abs(exponent);
      if (abs < 10) {
        b.append('0');
      }
      return b.append(abs).toString();
    }
    return bd.toPlainString();
  }
}

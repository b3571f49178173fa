package io.lumadb.ingest.otlp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenTelemetry names to Prometheus names, as the OpenTelemetry-to-Prometheus compatibility
 * specification says: characters outside {@code [a-zA-Z0-9_:]} become {@code _}, runs of
 * {@code _} collapse to one, the unit (in Prometheus words) is appended unless the name holds it
 * already, and monotonic sums end in {@code _total}.
 *
 * <pre>{@code
 * PrometheusNames.metricName("http.server.duration", "ms", Kind.OTHER)   // http_server_duration_milliseconds
 * PrometheusNames.metricName("requests", "{request}", Kind.COUNTER)       // requests_total
 * PrometheusNames.metricName("cpu.utilization", "1", Kind.GAUGE)          // cpu_utilization_ratio
 * PrometheusNames.labelName("http.method")                               // http_method
 * }</pre>
 */
public final class PrometheusNames {
  /** What the metric becomes in Prometheus; it decides the {@code _total} and {@code _ratio} suffixes. */
  public enum Kind { GAUGE, COUNTER, OTHER }

  private static final Map<String, String> UNITS = Map.ofEntries(
      Map.entry("d", "days"), Map.entry("h", "hours"), Map.entry("min", "minutes"),
      Map.entry("s", "seconds"), Map.entry("ms", "milliseconds"), Map.entry("us", "microseconds"),
      Map.entry("ns", "nanoseconds"), Map.entry("By", "bytes"), Map.entry("KiBy", "kibibytes"),
      Map.entry("MiBy", "mebibytes"), Map.entry("GiBy", "gibibytes"), Map.entry("TiBy", "tibibytes"),
      Map.entry("KBy", "kilobytes"), Map.entry("MBy", "megabytes"), Map.entry("GBy", "gigabytes"),
      Map.entry("TBy", "terabytes"), Map.entry("m", "meters"), Map.entry("V", "volts"),
      Map.entry("A", "amperes"), Map.entry("J", "joules"), Map.entry("W", "watts"),
      Map.entry("g", "grams"), Map.entry("Cel", "celsius"), Map.entry("Hz", "hertz"),
      Map.entry("%", "percent"));
  private static final Map<String, String> PER_UNITS = Map.of(
      "s", "second", "m", "minute", "h", "hour", "d", "day", "w", "week", "mo", "month", "y", "year");

  private PrometheusNames() {}

  /** The Prometheus metric name of an OTLP metric; empty if nothing valid is left of it. */
  public static String metricName(String name, String unit, Kind kind) {
    String base = sanitize(name, true);
    if (base.isEmpty()) {
      return "";
    }
    if (kind == Kind.COUNTER && base.endsWith("_total")) {
      base = base.substring(0, base.length() - "_total".length());
    }
    String u = unitSuffix(unit, kind);
    if (!u.isEmpty() && !("_" + base + "_").contains("_" + u + "_")) {
      base = base + "_" + u;
    }
    if (kind == Kind.COUNTER) {
      base = base + "_total";
    }
    return base;
  }

  /**
   * The unit in Prometheus words ("ms" -> "milliseconds", "By/s" -> "bytes_per_second"),
   * without annotations in braces; "1" is "ratio" for gauges (as Prometheus' own OTLP receiver
   * does: a counter of a dimensionless quantity is a plain count) and nothing otherwise.
   */
  static String unitSuffix(String unit, Kind kind) {
    if (unit == null) {
      return "";
    }
    String u = unit.replaceAll("\\{[^}]*}", "").trim();
    if (u.equals("1")) {
      return kind == Kind.GAUGE ? "ratio" : "";
    }
    if (u.isEmpty()) {
      return "";
    }
    int slash = u.indexOf('/');
    String main = slash < 0 ? u : u.substring(0, slash).trim();
    String per = slash < 0 ? "" : u.substring(slash + 1).trim();
    List<String> parts = new ArrayList<>();
    if (!main.isEmpty() && !main.equals("1")) {
      parts.add(sanitize(UNITS.getOrDefault(main, main), false));
    }
    if (!per.isEmpty()) {
      parts.add("per");
      parts.add(sanitize(PER_UNITS.getOrDefault(per, UNITS.getOrDefault(per, per)), false));
    }
    return String.join("_", parts.stream().filter(p -> !p.isEmpty()).toList()).replaceAll("_+", "_")
        .replaceAll("^_|_$", "");
  }

  /**
   * A label name from an attribute key: invalid characters become {@code _}, runs of {@code _}
   * collapse, a leading digit gets the prefix {@code key_}. Empty if nothing is left.
   */
  public static String labelName(String key) {
    String s = sanitize(key, false);
    if (s.isEmpty() || s.equals("_")) {
      return "";
    }
    return Character.isDigit(s.charAt(0)) ? "key_" + s : s;
  }

  private static String sanitize(String name, boolean colonAllowed) {
    if (name == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || (colonAllowed && c == ':');
      char out = ok ? c : '_';
      if (out == '_' && b.length() > 0 && b.charAt(b.length() - 1) == '_') {
        continue;
      }
      b.append(out);
    }
    if (colonAllowed && b.length() > 0 && Character.isDigit(b.charAt(0))) {
      b.insert(0, '_');
    }
    return b.toString();
  }
}

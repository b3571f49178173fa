package io.lumadb.sql;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A session's run-time settings (SET/SHOW/RESET), with PostgreSQL's names and defaults. */
public final class SessionSettings {
  /** Reported to the client at startup and whenever they change (PostgreSQL's GUC_REPORT). */
  public static final List<String> REPORTED = List.of(
      "server_version", "server_encoding", "client_encoding", "application_name",
      "DateStyle", "IntervalStyle", "TimeZone", "integer_datetimes",
      "standard_conforming_strings", "is_superuser", "session_authorization");

  public static final String SERVER_VERSION = "15.0";

  private final Map<String, String> defaults = new LinkedHashMap<>();
  private final Map<String, String> values = new LinkedHashMap<>();

  SessionSettings(String user) {
    put(defaults, "server_version", SERVER_VERSION);
    put(defaults, "server_version_num", "150000");
    put(defaults, "server_encoding", "UTF8");
    put(defaults, "client_encoding", "UTF8");
    put(defaults, "application_name", "");
    put(defaults, "DateStyle", "ISO, MDY");
    put(defaults, "IntervalStyle", "postgres");
    put(defaults, "TimeZone", "UTC");
    put(defaults, "integer_datetimes", "on");
    put(defaults, "standard_conforming_strings", "on");
    put(defaults, "is_superuser", "on");
    put(defaults, "session_authorization", user);
    put(defaults, "search_path", "public, metrics, otel");
    put(defaults, "extra_float_digits", "1");
    put(defaults, "statement_timeout", "0");
    put(defaults, "lc_messages", "C");
    put(defaults, "lc_monetary", "C");
    put(defaults, "lc_numeric", "C");
    put(defaults, "lc_time", "C");
    put(defaults, "max_identifier_length", "63");
    put(defaults, "transaction_isolation", "read committed");
    put(defaults, "default_transaction_isolation", "read committed");
    put(defaults, "transaction_read_only", "off");
    put(defaults, "default_transaction_read_only", "off");
    values.putAll(defaults);
  }

  private static void put(Map<String, String> m, String name, String value) {
    m.put(name.toLowerCase(Locale.ROOT), value);
  }

  /** The setting's value, or null if there is no such setting. */
  public String get(String name) {
    return values.get(name.toLowerCase(Locale.ROOT));
  }

  /** The name as PostgreSQL spells it (DateStyle, TimeZone, ...). */
  public static String displayName(String name) {
    for (String r : REPORTED) {
      if (r.equalsIgnoreCase(name)) {
        return r;
      }
    }
    return name.toLowerCase(Locale.ROOT);
  }

  /** Sets a setting; unknown names are kept too (clients set many harmless ones). */
  void set(String name, String value) {
    String key = name.toLowerCase(Locale.ROOT);
    if (value == null) {
      reset(key);
      return;
    }
    if (key.equals("server_version") || key.equals("server_encoding")
        || key.equals("integer_datetimes") || key.equals("server_version_num")) {
      throw new LumaException("55P02", "parameter \"" + key + "\" cannot be changed");
    }
    if (key.equals("client_encoding") && !value.equalsIgnoreCase("UTF8")
        && !value.equalsIgnoreCase("UTF-8") && !value.equalsIgnoreCase("unicode")) {
      throw new LumaException("22023", "client_encoding " + value + " is not supported: use UTF8");
    }
    if (key.equals("client_encoding")) {
      value = "UTF8";
    }
    if (key.equals("datestyle")) {
      value = dateStyle(value, values.getOrDefault(key, "ISO, MDY"));
    }
    if (key.equals("timezone")) {
      zone = parseZone(value);
    }
    values.put(key, value);
  }

  private ZoneId zone = ZoneOffset.UTC;

  /**
   * The session's TimeZone: timestamptz values are printed in it, and timestamptz input
   * without an offset is read in it.
   */
  public ZoneId zone() {
    return zone;
  }

  /**
   * A TimeZone value as PostgreSQL reads it: a tz database name ({@code Europe/Paris}),
   * {@code UTC}/{@code GMT}/{@code Z}, an ISO offset ({@code +05:30}), or a POSIX-style
   * {@code UTC+2}/{@code GMT-01:00}, whose sign is inverted (hours west of Greenwich), which
   * is what pgjdbc sends for a JVM in a fixed-offset zone. Anything else is 22023.
   */
  static ZoneId parseZone(String value) {
    String v = value.trim();
    if (v.equalsIgnoreCase("utc") || v.equalsIgnoreCase("gmt") || v.equalsIgnoreCase("z")
        || v.equalsIgnoreCase("zulu") || v.equalsIgnoreCase("universal")) {
      return ZoneOffset.UTC;
    }
    try {
      java.util.regex.Matcher posix = java.util.regex.Pattern
          .compile("(?i)(?:utc|gmt)([+-])(\\d{1,2})(?::(\\d{2}))?").matcher(v);
      if (posix.matches()) {
        int seconds = Integer.parseInt(posix.group(2)) * 3600
            + (posix.group(3) == null ? 0 : Integer.parseInt(posix.group(3)) * 60);
        return ZoneOffset.ofTotalSeconds(posix.group(1).equals("+") ? -seconds : seconds);
      }
      if (v.startsWith("+") || v.startsWith("-")) {
        return ZoneOffset.of(v);
      }
      return ZoneId.of(v);
    } catch (java.time.DateTimeException | NumberFormatException e) {
      throw new LumaException("22023", "invalid value for parameter \"TimeZone\": \"" + value + "\"");
    }
  }

  /**
   * DateStyle as PostgreSQL keeps it: an output style and a field order, each kept from the
   * current value when the new one names only the other ({@code SET DateStyle = ISO} gives
   * {@code ISO, MDY}, which pgjdbc and psycopg expect). LumaDB always prints ISO.
   */
  private static String dateStyle(String value, String current) {
    String[] cur = current.split(",\\s*");
    String style = cur[0];
    String order = cur.length > 1 ? cur[1] : "MDY";
    for (String part : value.split("[,\\s]+")) {
      String p = part.trim().toUpperCase(Locale.ROOT);
      switch (p) {
        case "ISO", "SQL", "POSTGRES", "GERMAN" -> style = p.equals("POSTGRES") ? "Postgres"
            : p.equals("GERMAN") ? "German" : p;
        case "MDY", "DMY", "YMD" -> order = p;
        case "US", "NONEURO", "NONEUROPEAN" -> order = "MDY";
        case "EURO", "EUROPEAN" -> order = "DMY";
        case "" -> { }
        default -> throw new LumaException("22023", "invalid value for parameter \"DateStyle\": \"" + value + "\"");
      }
    }
    return style + ", " + order;
  }

  void reset(String name) {
    String key = name.toLowerCase(Locale.ROOT);
    if (key.equals("all")) {
      values.clear();
      values.putAll(defaults);
    } else if (defaults.containsKey(key)) {
      values.put(key, defaults.get(key));
    } else {
      values.remove(key);
    }
    zone = parseZone(values.get("timezone"));
  }

  public Map<String, String> all() {
    return Map.copyOf(values);
  }
}

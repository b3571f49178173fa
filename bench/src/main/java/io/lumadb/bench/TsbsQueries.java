package io.lumadb.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The TSBS {@code cpu-only} query set (timescale/tsbs, {@code cmd/tsbs_generate_queries},
 * devops use case), written once in PostgreSQL's SQL and sent unchanged to LumaDB, DuckDB and
 * PostgreSQL. Parameters (hosts, time windows) come from a seeded generator, so every system
 * answers the same queries.
 *
 * <p>Differences from TSBS's TimescaleDB queries: the table is the flat {@code cpu} table (tags
 * as columns, no separate tags table), {@code date_trunc} stands for {@code time_bucket}
 * (identical for minute and hour buckets), and the time column is {@code ts}. Windows start
 * on a whole minute, chosen uniformly inside the data set as TSBS's {@code RandWindow} does.
 */
final class TsbsQueries {
  /** One query instance: its type (TSBS's name) and the SQL text. */
  record Query(String type, String sql) {}

  /** The query types, in TSBS's order. */
  static final List<String> TYPES = List.of("single-groupby-1-1-1", "single-groupby-1-1-12",
      "single-groupby-5-1-1", "single-groupby-5-8-1", "cpu-max-all-1", "cpu-max-all-8", "double-groupby-1",
      "double-groupby-5", "double-groupby-all", "high-cpu-1", "high-cpu-all", "lastpoint",
      "groupby-orderby-limit");

  private static final long MINUTE = 60_000;
  private static final long HOUR = 60 * MINUTE;

  private final int hosts;
  private final long startMs;
  private final long endMs;
  private final long seed;

  /**
   * @param hosts hosts in the data set ({@code host_0 .. host_(hosts-1)})
   * @param startMs first timestamp of the data set
   * @param endMs end of the data set (exclusive)
   * @param seed seed of the parameters
   */
  TsbsQueries(int hosts, long startMs, long endMs, long seed) {
    this.hosts = hosts;
    this.startMs = startMs;
    this.endMs = endMs;
    this.seed = seed;
  }

  /** {@code count} instances of a query type with different parameters; the same on every call. */
  List<Query> instances(String type, int count) {
    SplittableRandom random = new SplittableRandom(seed * 31 + TYPES.indexOf(type));
    List<Query> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(new Query(type, sql(type, random)));
    }
    return out;
  }

  /** The longest window any query needs: the data set must cover it. */
  static long longestWindowMs() {
    return 12 * HOUR;
  }

  private String sql(String type, SplittableRandom r) {
    if (type.startsWith("single-groupby-")) {
      String[] p = type.substring("single-groupby-".length()).split("-");
      return singleGroupBy(r, Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
    }
    return switch (type) {
      case "cpu-max-all-1" -> cpuMaxAll(r, 1);
      case "cpu-max-all-8" -> cpuMaxAll(r, 8);
      case "double-groupby-1" -> doubleGroupBy(r, 1);
      case "double-groupby-5" -> doubleGroupBy(r, 5);
      case "double-groupby-all" -> doubleGroupBy(r, TsbsCpuGenerator.FIELDS.size());
      case "high-cpu-1" -> highCpu(r, 1);
      case "high-cpu-all" -> highCpu(r, 0);
      case "lastpoint" -> "SELECT DISTINCT ON (hostname) * FROM cpu ORDER BY hostname, ts DESC";
      case "groupby-orderby-limit" -> groupByOrderByLimit(r);
      default -> throw new IllegalArgumentException("unknown TSBS query type " + type);
    };
  }

  /** Max of the first {@code metrics} fields per minute for random hosts over a random window. */
  private String singleGroupBy(SplittableRandom r, int metrics, int hostCount, int hours) {
    long from = windowStart(r, hours * HOUR);
    return "SELECT date_trunc('minute', ts) AS minute, " + aggregates("max", metrics) + " FROM cpu WHERE "
        + hostFilter(r, hostCount) + " AND " + timeFilter(from, from + hours * HOUR)
        + " GROUP BY date_trunc('minute', ts) ORDER BY minute";
  }

  /** Max of every field per hour for random hosts over 8 hours. */
  private String cpuMaxAll(SplittableRandom r, int hostCount) {
    long from = windowStart(r, 8 * HOUR);
    return "SELECT date_trunc('hour', ts) AS hour, " + aggregates("max", TsbsCpuGenerator.FIELDS.size())
        + " FROM cpu WHERE " + hostFilter(r, hostCount) + " AND " + timeFilter(from, from + 8 * HOUR)
        + " GROUP BY date_trunc('hour', ts) ORDER BY hour";
  }

  /** Mean of the first {@code metrics} fields per hour and host, every host, over 12 hours. */
  private String doubleGroupBy(SplittableRandom r, int metrics) {
    long from = windowStart(r, 12 * HOUR);
    return "SELECT date_trunc('hour', ts) AS hour, hostname, " + aggregates("avg", metrics) + " FROM cpu WHERE "
        + timeFilter(from, from + 12 * HOUR) + " GROUP BY date_trunc('hour', ts), hostname ORDER BY hour, hostname";
  }

  /** Every reading with usage_user above 90 over 12 hours, for one random host or (0) all. */
  private String highCpu(SplittableRandom r, int hostCount) {
    long from = windowStart(r, 12 * HOUR);
    return "SELECT * FROM cpu WHERE usage_user > 90.0 AND " + timeFilter(from, from + 12 * HOUR)
        + (hostCount > 0 ? " AND " + hostFilter(r, hostCount) : "");
  }

  /** The last five minutes with data before a random time, with their max usage_user. */
  private String groupByOrderByLimit(SplittableRandom r) {
    long end = windowStart(r, 0) + MINUTE;
    return "SELECT date_trunc('minute', ts) AS minute, max(usage_user) AS max_usage_user FROM cpu WHERE ts < "
        + literal(end) + " GROUP BY date_trunc('minute', ts) ORDER BY minute DESC LIMIT 5";
  }

  private static String aggregates(String fn, int metrics) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < metrics; i++) {
      String f = TsbsCpuGenerator.FIELDS.get(i);
      b.append(i == 0 ? "" : ", ").append(fn).append('(').append(f).append(") AS ").append(fn).append('_').append(f);
    }
    return b.toString();
  }

  /** {@code hostname IN (...)} of distinct random hosts, as TSBS draws them. */
  private String hostFilter(SplittableRandom r, int count) {
    if (count > hosts) {
      throw new IllegalArgumentException("a query wants " + count + " hosts, the data set has " + hosts);
    }
    int[] picked = r.ints(0, hosts).distinct().limit(count).sorted().toArray();
    StringBuilder b = new StringBuilder("hostname IN (");
    for (int i = 0; i < picked.length; i++) {
      b.append(i == 0 ? "" : ", ").append("'host_").append(picked[i]).append('\'');
    }
    return b.append(')').toString();
  }

  /** A whole-minute start such that [start, start + window) lies inside the data set. */
  private long windowStart(SplittableRandom r, long windowMs) {
    long latest = endMs - windowMs;
    if (latest < startMs) {
      throw new IllegalArgumentException("the data set is shorter than a query window of "
          + windowMs / HOUR + " h");
    }
    long minutes = (latest - startMs) / MINUTE;
    return startMs + r.nextLong(minutes + 1) * MINUTE;
  }

  private static String timeFilter(long from, long to) {
    return "ts >= " + literal(from) + " AND ts < " + literal(to);
  }

  private static String literal(long epochMs) {
    return "TIMESTAMP '" + CopyText.timestamp(epochMs) + "'";
  }
}

package io.lumadb.ingest.otlp;

import io.lumadb.ingest.Exemplars;
import io.lumadb.ingest.otlp.PrometheusNames.Kind;
import io.lumadb.storage.MetricsStorage.Sample;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * OTLP metrics to Prometheus samples, following the OpenTelemetry-to-Prometheus compatibility
 * rules:
 *
 * <ul>
 *   <li>gauges and non-monotonic cumulative sums are gauges; monotonic cumulative sums are
 *       counters named {@code ..._total};
 *   <li>histograms become {@code _bucket} (cumulative counts, label {@code le}, last one
 *       {@code +Inf}), {@code _sum} (when the point has a sum) and {@code _count};
 *   <li>exponential histograms are converted to the same classic form: each exponential bucket
 *       is one {@code le} at its upper boundary (negative buckets, then the zero bucket at the
 *       zero threshold, then positive buckets), so SQL over {@code _bucket} works the same;
 *   <li>summaries become {@code {name}} with label {@code quantile}, {@code _sum} and
 *       {@code _count};
 *   <li>delta temporality (sums, histograms, exponential histograms) is stored as sent, each
 *       point's value being the change over its interval, in the table the cumulative form would
 *       use, with the label {@code otel_temporality="delta"}; {@code sum(value)} over a time range
 *       is then the increase. Turning deltas into cumulative values would need per-series state
 *       that a restart loses. Unspecified temporality is rejected;
 *   <li>the start time of a sum, histogram, exponential histogram or summary point is stored in
 *       {@code created_timestamp}: when a cumulative series started counting, or the start of a
 *       delta point's interval;
 *   <li>exemplars go to {@code metrics.exemplars} (as remote write 2.0's do), attached to the
 *       point's series, for histograms to the {@code _bucket} series whose {@code le} holds the
 *       exemplar's value; trace and span ids as lowercase hex;
 *   <li>point attributes become labels; resource {@code service.namespace}/{@code service.name}
 *       become {@code job}, {@code service.instance.id} {@code instance}; the scope's name and
 *       version the labels {@code otel_scope_name}/{@code otel_scope_version}; the other
 *       resource attributes go to one {@code target_info} sample (value 1, with {@code job} and
 *       {@code instance}) per resource, at the latest timestamp of its accepted points;
 *   <li>a point flagged "no recorded value" is stored as Prometheus' stale marker (the special
 *       NaN) in each of its series.
 * </ul>
 *
 * Points that cannot be stored (no timestamp, no value, unspecified temporality, buckets that do not
 * add up, a name with nothing valid in it) are counted as rejected; the rest are converted.
 */
public final class MetricsTranslator {
  /** Prometheus' stale marker. */
  public static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);
  private static final int NO_RECORDED_VALUE = 1;
  private static final int MAX_REASONS = 5;
  /** The label of delta points. */
  static final String TEMPORALITY_LABEL = "otel_temporality";
  private static final Map<String, String> DELTA = Map.of(TEMPORALITY_LABEL, "delta");

  /**
   * The samples of a request, how many data points were rejected and why. The samples come in
   * groups, one per data point (a histogram's buckets, sum and count together) or
   * {@code target_info} sample: {@code groupEnds[g]} is the exclusive end of group g, and
   * {@code dataPoint[g]} says whether it is a data point. {@code exemplars} come with the group
   * of their data point ({@code exemplarGroups}), so that a refused group drops them too.
   */
  public record Translation(List<Sample> samples, long rejected, String message, int[] groupEnds,
      boolean[] dataPoint, List<Exemplars.Exemplar> exemplars, int[] exemplarGroups) {}

  private final List<Sample> samples = new ArrayList<>();
  private final List<Exemplars.Exemplar> exemplars = new ArrayList<>();
  private final List<Integer> exemplarGroups = new ArrayList<>();
  private int[] groupEnds = new int[16];
  private boolean[] dataPoint = new boolean[16];
  private int groups;
  private final Set<String> reasons = new LinkedHashSet<>();
  private long rejected;

  private MetricsTranslator() {}

  /** Converts a whole request; nothing is written. */
  public static Translation translate(ExportMetricsServiceRequest request) {
    MetricsTranslator t = new MetricsTranslator();
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      t.resource(rm);
    }
    String message = t.rejected == 0 ? "" : "rejected " + t.rejected + " data point(s): "
        + String.join("; ", t.reasons);
    return new Translation(t.samples, t.rejected, message, java.util.Arrays.copyOf(t.groupEnds, t.groups),
        java.util.Arrays.copyOf(t.dataPoint, t.groups), t.exemplars,
        t.exemplarGroups.stream().mapToInt(Integer::intValue).toArray());
  }

  /** Closes the group of samples added since the last one. */
  private void endGroup(boolean isDataPoint) {
    if (groups > 0 && groupEnds[groups - 1] == samples.size()) {
      return;
    }
    if (groups == groupEnds.length) {
      groupEnds = java.util.Arrays.copyOf(groupEnds, groups * 2);
      dataPoint = java.util.Arrays.copyOf(dataPoint, groups * 2);
    }
    groupEnds[groups] = samples.size();
    dataPoint[groups++] = isDataPoint;
  }

  private void reject(long points, String reason) {
    rejected += points;
    if (reasons.size() < MAX_REASONS) {
      reasons.add(reason);
    }
  }

  private void resource(ResourceMetrics rm) {
    Map<String, String> attrs = new HashMap<>();
    for (KeyValue kv : rm.getResource().getAttributesList()) {
      attrs.put(kv.getKey(), AttributeValues.text(kv.getValue()));
    }
    Map<String, String> resourceLabels = new TreeMap<>();
    String service = attrs.getOrDefault("service.name", "");
    String namespace = attrs.getOrDefault("service.namespace", "");
    String job = namespace.isEmpty() ? service : service.isEmpty() ? namespace : namespace + "/" + service;
    putIfNotEmpty(resourceLabels, "job", job);
    putIfNotEmpty(resourceLabels, "instance", attrs.getOrDefault("service.instance.id", ""));
    int before = samples.size();
    for (ScopeMetrics sm : rm.getScopeMetricsList()) {
      Map<String, String> scopeLabels = new TreeMap<>();
      InstrumentationScope scope = sm.getScope();
      putIfNotEmpty(scopeLabels, "otel_scope_name", scope.getName());
      putIfNotEmpty(scopeLabels, "otel_scope_version", scope.getVersion());
      for (Metric m : sm.getMetricsList()) {
        metric(m, scopeLabels, resourceLabels);
      }
    }
    List<KeyValue> others = rm.getResource().getAttributesList().stream()
        .filter(kv -> !kv.getKey().equals("service.name") && !kv.getKey().equals("service.namespace")
            && !kv.getKey().equals("service.instance.id"))
        .toList();
    if (samples.size() > before && !others.isEmpty()) {
      long latest = Long.MIN_VALUE;
      for (int i = before; i < samples.size(); i++) {
        latest = Math.max(latest, samples.get(i).timestampMillis());
      }
      Map<String, String> info = labels(others);
      info.putAll(resourceLabels);
      samples.add(new Sample("target_info", Map.copyOf(info), latest, 1.0));
      endGroup(false);
    }
  }

  private static void putIfNotEmpty(Map<String, String> m, String k, String v) {
    if (v != null && !v.isEmpty()) {
      m.put(k, v);
    }
  }

  /**
   * Attributes as labels. Keys that sanitize to the same label name have their values joined
   * with {@code ;}, in the order of the original keys, as the specification says.
   */
  static Map<String, String> labels(List<KeyValue> attributes) {
    TreeMap<String, String> byKey = new TreeMap<>();
    for (KeyValue kv : attributes) {
      byKey.put(kv.getKey(), AttributeValues.text(kv.getValue()));
    }
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : byKey.entrySet()) {
      String name = PrometheusNames.labelName(e.getKey());
      if (name.isEmpty() || e.getValue().isEmpty()) {
        continue; // an empty label value is no label in Prometheus
      }
      out.merge(name, e.getValue(), (a, b) -> a + ";" + b);
    }
    return out;
  }

  private void metric(Metric m, Map<String, String> scope, Map<String, String> resource) {
    String name = m.getName();
    switch (m.getDataCase()) {
      case GAUGE -> {
        String n = checkedName(m, Kind.GAUGE, m.getGauge().getDataPointsCount());
        if (n != null) {
          numbers(n, m.getGauge().getDataPointsList(), scope, resource, false);
        }
      }
      case SUM -> {
        var sum = m.getSum();
        Map<String, String> s = temporal(scope, name, "sum", sum.getAggregationTemporality(), sum.getDataPointsCount());
        String n = s == null ? null
            : checkedName(m, sum.getIsMonotonic() ? Kind.COUNTER : Kind.GAUGE, sum.getDataPointsCount());
        if (n != null) {
          numbers(n, sum.getDataPointsList(), s, resource, true);
        }
      }
      case HISTOGRAM -> {
        var h = m.getHistogram();
        Map<String, String> s = temporal(scope, name, "histogram", h.getAggregationTemporality(), h.getDataPointsCount());
        String n = s == null ? null : checkedName(m, Kind.OTHER, h.getDataPointsCount());
        if (n != null) {
          for (HistogramDataPoint p : h.getDataPointsList()) {
            histogram(n, p, s, resource);
          }
        }
      }
      case EXPONENTIAL_HISTOGRAM -> {
        var h = m.getExponentialHistogram();
        Map<String, String> s = temporal(scope, name, "exponential histogram", h.getAggregationTemporality(),
            h.getDataPointsCount());
        String n = s == null ? null : checkedName(m, Kind.OTHER, h.getDataPointsCount());
        if (n != null) {
          for (ExponentialHistogramDataPoint p : h.getDataPointsList()) {
            exponential(n, p, s, resource);
          }
        }
      }
      case SUMMARY -> {
        String n = checkedName(m, Kind.OTHER, m.getSummary().getDataPointsCount());
        if (n != null) {
          for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
            summary(n, p, scope, resource);
          }
        }
      }
      default -> reject(1, "metric \"" + name + "\" has no data (gauge, sum, histogram, "
          + "exponential histogram or summary)");
    }
  }

  private String checkedName(Metric m, Kind kind, int points) {
    String n = PrometheusNames.metricName(m.getName(), m.getUnit(), kind);
    if (n.isEmpty() || n.equals("_")) {
      reject(points, "metric name \"" + m.getName() + "\" has no valid character");
      return null;
    }
    return n;
  }

  /**
   * The scope labels for points of this temporality: as they are for cumulative points, with
   * {@code otel_temporality="delta"} for delta points; null (the points rejected) otherwise.
   */
  private Map<String, String> temporal(Map<String, String> scope, String name, String what,
      AggregationTemporality t, int points) {
    if (t == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
      return scope;
    }
    if (t == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA) {
      Map<String, String> s = new TreeMap<>(scope);
      s.putAll(DELTA);
      return s;
    }
    reject(points, "metric \"" + name + "\": " + what
        + " without aggregation temporality (want cumulative or delta)");
    return null;
  }

  /** A point's start time in epoch ms, 0 when it has none. */
  private static long start(long startUnixNano, long timeUnixNano) {
    return startUnixNano > 0 && startUnixNano <= timeUnixNano ? millis(startUnixNano) : 0;
  }

  /**
   * Keeps a point's exemplars for series {@code name}/{@code labels}, or for histograms
   * ({@code les} not null: upper bounds and counts) for the {@code _bucket} series whose bucket
   * holds the value. They belong to the group the point is about to close.
   */
  private void exemplars(List<Exemplar> list, String name,
      Map<String, String> labels, List<double[]> les) {
    for (Exemplar x : list) {
      double v;
      if (x.getValueCase() == Exemplar.ValueCase.AS_DOUBLE) {
        v = x.getAsDouble();
      } else if (x.getValueCase() == Exemplar.ValueCase.AS_INT) {
        v = x.getAsInt();
      } else {
        continue; // an exemplar without a value says nothing
      }
      Map<String, String> series = new TreeMap<>(labels);
      if (les == null) {
        series.put("__name__", name);
      } else {
        series.put("__name__", name + "_bucket");
        String le = "+Inf";
        for (double[] bound : les) {
          if (v <= bound[0]) {
            le = AttributeValues.doubleText(bound[0]);
            break;
          }
        }
        series.put("le", le);
      }
      List<String> pairs = new ArrayList<>();
      labels(x.getFilteredAttributesList()).forEach((k, val) -> {
        pairs.add(k);
        pairs.add(val);
      });
      String trace = Ids.hex(x.getTraceId());
      if (trace != null) {
        pairs.add("trace_id");
        pairs.add(trace);
      }
      String span = Ids.hex(x.getSpanId());
      if (span != null) {
        pairs.add("span_id");
        pairs.add(span);
      }
      exemplars.add(new Exemplars.Exemplar(Map.copyOf(series), pairs, v, x.getTimeUnixNano() > 0
          ? millis(x.getTimeUnixNano()) : 0));
      exemplarGroups.add(groups);
    }
  }

  /** The labels of one point: its attributes, then scope labels, then job/instance (which win). */
  private static Map<String, String> pointLabels(List<KeyValue> attributes, Map<String, String> scope,
      Map<String, String> resource) {
    Map<String, String> l = labels(attributes);
    l.putAll(scope);
    l.putAll(resource);
    return l;
  }

  private boolean timed(String name, long timeUnixNano) {
    if (timeUnixNano <= 0) {
      reject(1, "metric \"" + name + "\": a data point has no time_unix_nano");
      return false;
    }
    return true;
  }

  private static long millis(long nanos) {
    return Math.floorDiv(nanos, 1_000_000L);
  }

  /** Gauge or sum points; {@code counting}: a sum, whose start time is kept. */
  private void numbers(String name, List<NumberDataPoint> points, Map<String, String> scope,
      Map<String, String> resource, boolean counting) {
    for (NumberDataPoint p : points) {
      if (!timed(name, p.getTimeUnixNano())) {
        continue;
      }
      double v;
      if ((p.getFlags() & NO_RECORDED_VALUE) != 0) {
        v = STALE_NAN;
      } else if (p.getValueCase() == NumberDataPoint.ValueCase.AS_DOUBLE) {
        v = p.getAsDouble();
      } else if (p.getValueCase() == NumberDataPoint.ValueCase.AS_INT) {
        v = p.getAsInt();
      } else {
        reject(1, "metric \"" + name + "\": a data point has no value");
        continue;
      }
      Map<String, String> labels = Map.copyOf(pointLabels(p.getAttributesList(), scope, resource));
      samples.add(new Sample(name, labels, millis(p.getTimeUnixNano()), v,
          counting ? start(p.getStartTimeUnixNano(), p.getTimeUnixNano()) : 0));
      exemplars(p.getExemplarsList(), name, labels, null);
      endGroup(true);
    }
  }

  private void histogram(String name, HistogramDataPoint p, Map<String, String> scope,
      Map<String, String> resource) {
    if (!timed(name, p.getTimeUnixNano())) {
      return;
    }
    int bounds = p.getExplicitBoundsCount();
    int buckets = p.getBucketCountsCount();
    if (buckets != 0 && buckets != bounds + 1) {
      reject(1, "histogram \"" + name + "\": " + buckets + " bucket counts for " + bounds
          + " explicit bounds (want bounds + 1)");
      return;
    }
    long total = 0;
    for (int i = 0; i < buckets; i++) {
      total += p.getBucketCounts(i);
    }
    if (buckets > 0 && total != p.getCount()) {
      reject(1, "histogram \"" + name + "\": bucket counts add up to " + total + ", count is " + p.getCount());
      return;
    }
    for (int i = 1; i < bounds; i++) {
      if (!(p.getExplicitBounds(i) > p.getExplicitBounds(i - 1))) {
        reject(1, "histogram \"" + name + "\": explicit bounds are not increasing");
        return;
      }
    }
    boolean stale = (p.getFlags() & NO_RECORDED_VALUE) != 0;
    Map<String, String> labels = pointLabels(p.getAttributesList(), scope, resource);
    long ts = millis(p.getTimeUnixNano());
    List<double[]> les = new ArrayList<>();
    long cumulative = 0;
    for (int i = 0; i < bounds && buckets > 0; i++) {
      cumulative += p.getBucketCounts(i);
      les.add(new double[] {p.getExplicitBounds(i), cumulative});
    }
    long start = start(p.getStartTimeUnixNano(), p.getTimeUnixNano());
    histogramSamples(name, labels, ts, start, les, p.getCount(), p.hasSum() ? p.getSum() : null, stale);
    exemplars(p.getExemplarsList(), name, labels, les);
    endGroup(true);
  }

  /** A histogram point's {@code _bucket}, {@code _sum} (when it has one) and {@code _count} samples. */
  private void histogramSamples(String name, Map<String, String> labels, long ts, long start, List<double[]> les,
      long count, Double sum, boolean stale) {
    buckets(name, labels, ts, start, les, count, stale);
    if (sum != null) {
      samples.add(new Sample(name + "_sum", Map.copyOf(labels), ts, stale ? STALE_NAN : sum, start));
    }
    samples.add(new Sample(name + "_count", Map.copyOf(labels), ts, stale ? STALE_NAN : count, start));
  }

  /** {@code _bucket} samples for (upper bound, cumulative count) pairs, then {@code +Inf}. */
  private void buckets(String name, Map<String, String> labels, long ts, long start, List<double[]> les,
      long count, boolean stale) {
    String previous = null;
    List<Sample> out = new ArrayList<>();
    for (double[] le : les) {
      String text = AttributeValues.doubleText(le[0]);
      if (text.equals("+Inf")) {
        continue;
      }
      Map<String, String> l = new TreeMap<>(labels);
      l.put("le", text);
      Sample s = new Sample(name + "_bucket", Map.copyOf(l), ts, stale ? STALE_NAN : le[1], start);
      if (text.equals(previous)) {
        out.set(out.size() - 1, s); // two boundaries that print alike: the higher count holds both
      } else {
        out.add(s);
      }
      previous = text;
    }
    Map<String, String> inf = new TreeMap<>(labels);
    inf.put("le", "+Inf");
    out.add(new Sample(name + "_bucket", Map.copyOf(inf), ts, stale ? STALE_NAN : count, start));
    samples.addAll(out);
  }

  private void exponential(String name, ExponentialHistogramDataPoint p, Map<String, String> scope,
      Map<String, String> resource) {
    if (!timed(name, p.getTimeUnixNano())) {
      return;
    }
    int scale = p.getScale();
    if (scale < -10 || scale > 20) {
      reject(1, "exponential histogram \"" + name + "\": scale " + scale + " is outside -10..20");
      return;
    }
    var neg = p.getNegative();
    var pos = p.getPositive();
    long total = p.getZeroCount();
    for (long c : neg.getBucketCountsList()) {
      total += c;
    }
    for (long c : pos.getBucketCountsList()) {
      total += c;
    }
    if (total != p.getCount()) {
      reject(1, "exponential histogram \"" + name + "\": buckets add up to " + total
          + ", count is " + p.getCount());
      return;
    }
    // Bucket i holds magnitudes in (base^i, base^(i+1)], base = 2^(2^-scale).
    List<double[]> les = new ArrayList<>();
    long cumulative = 0;
    for (int j = neg.getBucketCountsCount() - 1; j >= 0; j--) {
      cumulative += neg.getBucketCounts(j);
      les.add(new double[] {-boundary(scale, (long) neg.getOffset() + j), cumulative});
    }
    if (p.getZeroCount() > 0 || neg.getBucketCountsCount() > 0) {
      cumulative += p.getZeroCount();
      les.add(new double[] {p.getZeroThreshold(), cumulative});
    }
    for (int j = 0; j < pos.getBucketCountsCount(); j++) {
      cumulative += pos.getBucketCounts(j);
      les.add(new double[] {boundary(scale, (long) pos.getOffset() + j + 1), cumulative});
    }
    boolean stale = (p.getFlags() & NO_RECORDED_VALUE) != 0;
    Map<String, String> labels = pointLabels(p.getAttributesList(), scope, resource);
    long ts = millis(p.getTimeUnixNano());
    long start = start(p.getStartTimeUnixNano(), p.getTimeUnixNano());
    histogramSamples(name, labels, ts, start, les, p.getCount(), p.hasSum() ? p.getSum() : null, stale);
    exemplars(p.getExemplarsList(), name, labels, les);
    endGroup(true);
  }

  /** base^index for base = 2^(2^-scale). */
  static double boundary(int scale, long index) {
    return Math.pow(2.0, Math.scalb((double) index, -scale));
  }

  private void summary(String name, SummaryDataPoint p, Map<String, String> scope,
      Map<String, String> resource) {
    if (!timed(name, p.getTimeUnixNano())) {
      return;
    }
    boolean stale = (p.getFlags() & NO_RECORDED_VALUE) != 0;
    Map<String, String> labels = pointLabels(p.getAttributesList(), scope, resource);
    long ts = millis(p.getTimeUnixNano());
    for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
      if (!(q.getQuantile() >= 0 && q.getQuantile() <= 1)) {
        reject(1, "summary \"" + name + "\": quantile " + q.getQuantile() + " is outside 0..1");
        return;
      }
    }
    long start = start(p.getStartTimeUnixNano(), p.getTimeUnixNano());
    for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
      Map<String, String> l = new TreeMap<>(labels);
      l.put("quantile", AttributeValues.doubleText(q.getQuantile()));
      samples.add(new Sample(name, Map.copyOf(l), ts, stale ? STALE_NAN : q.getValue(), start));
    }
    samples.add(new Sample(name + "_sum", Map.copyOf(labels), ts, stale ? STALE_NAN : p.getSum(), start));
    samples.add(new Sample(name + "_count", Map.copyOf(labels), ts, stale ? STALE_NAN : p.getCount(), start));
    endGroup(true);
  }
}

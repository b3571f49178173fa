package io.lumadb.ingest.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.ingest.otlp.PrometheusNames.Kind;
import io.lumadb.storage.MetricsStorage.Sample;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every OTLP metric kind to Prometheus samples, and the naming rules. */
class MetricsTranslatorTest {
  static final long T = 1_700_000_000_123_456_789L;
  static final long T_MS = 1_700_000_000_123L;

  static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  static ExportMetricsServiceRequest request(Metric... metrics) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("service.name", "api"))
            .addAttributes(kv("service.namespace", "shop")).addAttributes(kv("service.instance.id", "pod-1"))
            .addAttributes(kv("host.name", "h1")))
        .addScopeMetrics(ScopeMetrics.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("lib").setVersion("1.2"))
            .addAllMetrics(List.of(metrics))))
        .build();
  }

  static NumberDataPoint.Builder number(double v) {
    return NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsDouble(v).addAttributes(kv("http.method", "GET"));
  }

  static Map<String, List<Sample>> byName(MetricsTranslator.Translation t) {
    return t.samples().stream().collect(Collectors.groupingBy(Sample::metric));
  }

  @Test
  void names() {
    assertEquals("http_server_duration_milliseconds", PrometheusNames.metricName("http.server.duration", "ms", Kind.OTHER));
    assertEquals("requests_total", PrometheusNames.metricName("requests", "{request}", Kind.COUNTER));
    assertEquals("requests_total", PrometheusNames.metricName("requests_total", "", Kind.COUNTER));
    assertEquals("cpu_utilization_ratio", PrometheusNames.metricName("cpu.utilization", "1", Kind.GAUGE));
    assertEquals("hits_total", PrometheusNames.metricName("hits", "1", Kind.COUNTER));
    assertEquals("net_io_bytes_per_second", PrometheusNames.metricName("net.io", "By/s", Kind.GAUGE));
    assertEquals("packets_per_second", PrometheusNames.metricName("packets", "{packet}/s", Kind.GAUGE));
    assertEquals("latency_seconds", PrometheusNames.metricName("latency_seconds", "s", Kind.OTHER));
    assertEquals("sent_bytes_total", PrometheusNames.metricName("sent", "By", Kind.COUNTER));
    assertEquals("a_b:c", PrometheusNames.metricName("a..-b:c", "", Kind.GAUGE));
    assertEquals("_2xx", PrometheusNames.metricName("2xx", "", Kind.GAUGE));
    assertEquals("http_method", PrometheusNames.labelName("http.method"));
    assertEquals("key_0abc", PrometheusNames.labelName("0abc"));
    assertEquals("", PrometheusNames.labelName("..."));
  }

  @Test
  void gaugesAndSums() {
    var t = MetricsTranslator.translate(request(
        Metric.newBuilder().setName("temperature").setUnit("Cel")
            .setGauge(Gauge.newBuilder().addDataPoints(number(21.5))
                .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsInt(7))).build(),
        Metric.newBuilder().setName("http.requests").setSum(Sum.newBuilder().setIsMonotonic(true)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(number(10))).build(),
        Metric.newBuilder().setName("queue.size").setSum(Sum.newBuilder().setIsMonotonic(false)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(number(-3))).build()));
    assertEquals(0, t.rejected(), t.message());
    var m = byName(t);
    assertEquals(2, m.get("temperature_celsius").size());
    Sample s = m.get("temperature_celsius").get(0);
    assertEquals(T_MS, s.timestampMillis());
    assertEquals(21.5, s.value());
    assertEquals(Map.of("http_method", "GET", "job", "shop/api", "instance", "pod-1",
        "otel_scope_name", "lib", "otel_scope_version", "1.2"), s.labels());
    assertEquals(7.0, m.get("temperature_celsius").get(1).value());
    assertEquals(10.0, m.get("http_requests_total").get(0).value());
    assertEquals(-3.0, m.get("queue_size").get(0).value());
    Sample info = m.get("target_info").get(0);
    assertEquals(Map.of("host_name", "h1", "job", "shop/api", "instance", "pod-1"), info.labels());
    assertEquals(1.0, info.value());
    assertEquals(T_MS, info.timestampMillis());
  }

  @Test
  void unspecifiedTemporalityAndBrokenPointsAreRejectedAndCounted() {
    var t = MetricsTranslator.translate(request(
        Metric.newBuilder().setName("d").setSum(Sum.newBuilder().setIsMonotonic(true)
            .addDataPoints(number(1)).addDataPoints(number(2))).build(),
        Metric.newBuilder().setName("dh").setHistogram(Histogram.newBuilder()
            .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(T).setCount(0))).build(),
        Metric.newBuilder().setName("notime").setGauge(Gauge.newBuilder()
            .addDataPoints(NumberDataPoint.newBuilder().setAsDouble(1))).build(),
        Metric.newBuilder().setName("novalue").setGauge(Gauge.newBuilder()
            .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T))).build(),
        Metric.newBuilder().setName("nodata").build(),
        Metric.newBuilder().setName("badhist").setHistogram(Histogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(T).setCount(3)
                .addExplicitBounds(1).addBucketCounts(3))).build(),
        Metric.newBuilder().setName("ok").setGauge(Gauge.newBuilder().addDataPoints(number(1))).build()));
    assertEquals(7, t.rejected());
    assertTrue(t.message().contains("without aggregation temporality"), t.message());
    assertTrue(t.message().startsWith("rejected 7 data point(s)"), t.message());
    assertEquals(List.of("ok", "target_info"), t.samples().stream().map(Sample::metric).toList());
  }

  @Test
  void deltaPointsAreStoredAsSentWithTheirIntervalStart() {
    long start = T - 10_000_000_000L;
    var t = MetricsTranslator.translate(request(
        Metric.newBuilder().setName("requests").setSum(Sum.newBuilder().setIsMonotonic(true)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
            .addDataPoints(number(5).setStartTimeUnixNano(start))).build(),
        Metric.newBuilder().setName("queue").setSum(Sum.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
            .addDataPoints(number(-2))).build(),
        Metric.newBuilder().setName("latency").setHistogram(Histogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
            .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(T).setStartTimeUnixNano(start)
                .setCount(3).setSum(4).addExplicitBounds(1).addBucketCounts(1).addBucketCounts(2))).build(),
        Metric.newBuilder().setName("total").setSum(Sum.newBuilder().setIsMonotonic(true)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(number(9).setStartTimeUnixNano(start))).build()));
    assertEquals(0, t.rejected(), t.message());
    Map<String, List<Sample>> m = t.samples().stream().collect(Collectors.groupingBy(Sample::metric));
    Sample requests = m.get("requests_total").get(0);
    assertEquals(5.0, requests.value());
    assertEquals("delta", requests.labels().get("otel_temporality"));
    assertEquals(T_MS - 10_000, requests.createdMillis());
    Sample queue = m.get("queue").get(0);
    assertEquals(-2.0, queue.value());
    assertEquals("delta", queue.labels().get("otel_temporality"));
    assertEquals(0, queue.createdMillis()); // no start time sent
    assertEquals(List.of(1.0, 3.0), m.get("latency_bucket").stream().map(Sample::value).toList());
    assertTrue(m.get("latency_bucket").stream().allMatch(s -> "delta".equals(s.labels().get("otel_temporality"))
        && s.createdMillis() == T_MS - 10_000));
    assertEquals(4.0, m.get("latency_sum").get(0).value());
    assertEquals(3.0, m.get("latency_count").get(0).value());
    Sample total = m.get("total_total").get(0);
    assertEquals(null, total.labels().get("otel_temporality"));
    assertEquals(T_MS - 10_000, total.createdMillis());
  }

  @Test
  void exemplarsAreKeptWithTheirSeriesAndGroup() {
    com.google.protobuf.ByteString trace = com.google.protobuf.ByteString.fromHex("0102030405060708090a0b0c0d0e0f10");
    com.google.protobuf.ByteString span = com.google.protobuf.ByteString.fromHex("a1a2a3a4a5a6a7a8");
    var exemplar = io.opentelemetry.proto.metrics.v1.Exemplar.newBuilder().setTimeUnixNano(T).setAsDouble(0.7)
        .setTraceId(trace).setSpanId(span)
        .addFilteredAttributes(KeyValue.newBuilder().setKey("user.id")
            .setValue(AnyValue.newBuilder().setStringValue("u1")));
    var t = MetricsTranslator.translate(request(
        Metric.newBuilder().setName("hits").setSum(Sum.newBuilder().setIsMonotonic(true)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(number(3).addExemplars(exemplar.clone().setAsInt(2)))).build(),
        Metric.newBuilder().setName("lat").setHistogram(Histogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(T).setCount(3)
                .addExplicitBounds(0.5).addExplicitBounds(1).addBucketCounts(1).addBucketCounts(1)
                .addBucketCounts(1).addExemplars(exemplar).addExemplars(exemplar.clone().setAsDouble(9))
                .addExemplars(io.opentelemetry.proto.metrics.v1.Exemplar.newBuilder().setTimeUnixNano(T))))
            .build()));
    assertEquals(3, t.exemplars().size()); // the one without a value is dropped
    var hits = t.exemplars().get(0);
    assertEquals("hits_total", hits.seriesLabels().get("__name__"));
    assertEquals(2.0, hits.value());
    assertEquals(T_MS, hits.timestamp());
    assertEquals(List.of("user_id", "u1", "trace_id", "0102030405060708090a0b0c0d0e0f10", "span_id",
        "a1a2a3a4a5a6a7a8"), hits.labelPairs());
    assertEquals("lat_bucket", t.exemplars().get(1).seriesLabels().get("__name__"));
    assertEquals("1", t.exemplars().get(1).seriesLabels().get("le"));
    assertEquals("+Inf", t.exemplars().get(2).seriesLabels().get("le"));
    assertEquals(List.of(0, 1, 1), java.util.Arrays.stream(t.exemplarGroups()).boxed().toList());
  }

  @Test
  void histogram() {
    var t = MetricsTranslator.translate(request(Metric.newBuilder().setName("rpc.duration").setUnit("s")
        .setHistogram(Histogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(T).setCount(6).setSum(12.5)
                .addAllExplicitBounds(List.of(0.1, 1.0, 10.0)).addAllBucketCounts(List.of(1L, 2L, 0L, 3L))))
        .build()));
    var m = byName(t);
    Map<String, Double> le = m.get("rpc_duration_seconds_bucket").stream()
        .collect(Collectors.toMap(s -> s.labels().get("le"), Sample::value));
    assertEquals(Map.of("0.1", 1.0, "1", 3.0, "10", 3.0, "+Inf", 6.0), le);
    assertEquals(12.5, m.get("rpc_duration_seconds_sum").get(0).value());
    assertEquals(6.0, m.get("rpc_duration_seconds_count").get(0).value());
    assertEquals("pod-1", m.get("rpc_duration_seconds_count").get(0).labels().get("instance"));
  }

  @Test
  void exponentialHistogramBecomesClassicBuckets() {
    // scale 0: base 2; positive offset 0 holds (1,2], (2,4]; negative offset 1 holds [-4,-2).
    var p = ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(T).setScale(0).setCount(7).setSum(5)
        .setZeroCount(1).setZeroThreshold(0)
        .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(0).addBucketCounts(2).addBucketCounts(3))
        .setNegative(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(1).addBucketCounts(1));
    var t = MetricsTranslator.translate(request(Metric.newBuilder().setName("size")
        .setExponentialHistogram(ExponentialHistogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).addDataPoints(p))
        .build()));
    assertEquals(0, t.rejected(), t.message());
    var m = byName(t);
    Map<String, Double> le = m.get("size_bucket").stream()
        .collect(Collectors.toMap(s -> s.labels().get("le"), Sample::value));
    assertEquals(Map.of("-2", 1.0, "0", 2.0, "2", 4.0, "4", 7.0, "+Inf", 7.0), le);
    assertEquals(5.0, m.get("size_sum").get(0).value());
    assertEquals(7.0, m.get("size_count").get(0).value());
    assertEquals(Math.sqrt(2), MetricsTranslator.boundary(1, 1), 1e-15);
  }

  @Test
  void summary() {
    var t = MetricsTranslator.translate(request(Metric.newBuilder().setName("gc.pause").setUnit("ms")
        .setSummary(Summary.newBuilder().addDataPoints(SummaryDataPoint.newBuilder().setTimeUnixNano(T)
            .setCount(4).setSum(20)
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(4))
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(9))))
        .build()));
    var m = byName(t);
    Map<String, Double> q = m.get("gc_pause_milliseconds").stream()
        .collect(Collectors.toMap(s -> s.labels().get("quantile"), Sample::value));
    assertEquals(Map.of("0.5", 4.0, "0.99", 9.0), q);
    assertEquals(20.0, m.get("gc_pause_milliseconds_sum").get(0).value());
    assertEquals(4.0, m.get("gc_pause_milliseconds_count").get(0).value());
  }

  @Test
  void noRecordedValueIsAStaleMarkerAndCollidingLabelsJoin() {
    var t = MetricsTranslator.translate(request(Metric.newBuilder().setName("g").setGauge(Gauge.newBuilder()
        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T).setFlags(1)
            .addAttributes(kv("a.b", "1")).addAttributes(kv("a_b", "2")).addAttributes(kv("empty", ""))))
        .build()));
    Sample s = byName(t).get("g").get(0);
    assertEquals(0x7ff0000000000002L, Double.doubleToRawLongBits(s.value()));
    assertEquals("1;2", s.labels().get("a_b"));
    assertTrue(!s.labels().containsKey("empty"));
  }
}

package io.lumadb.ingest.otlp;

import static io.lumadb.ingest.otlp.StoredRows.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.storage.StorageConfig;
import io.lumadb.storage.StorageEngine;
import io.lumadb.storage.calcite.LumaSchema;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.calcite.jdbc.CalciteConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real OpenTelemetry Java SDK exports metrics, logs and spans over OTLP/gRPC and
 * OTLP/HTTP (protobuf) to the receivers; the rows are checked in storage and through SQL
 * (Calcite over the LumaDB schemas).
 */
class OtlpSdkExportTest {
  static final long T = 1_700_000_000_123_456_789L;
  static final Resource RESOURCE = Resource.create(Attributes.builder()
      .put("service.name", "checkout").put("service.namespace", "shop")
      .put("service.instance.id", "i-1").put("host.name", "h1").build());

  StorageEngine storage;
  OtlpGrpcServer grpc;
  OtlpHttpServer http;
  int grpcPort;
  int httpPort;

  @BeforeEach
  void start() throws Exception {
    storage = new StorageEngine(StorageConfig.DEFAULTS);
    OtlpReceiver receiver = new OtlpReceiver(storage);
    OtlpConfig config = new OtlpConfig(true, "127.0.0.1", 0, 0, 4 << 20);
    grpc = new OtlpGrpcServer(config, receiver);
    http = new OtlpHttpServer(config, receiver);
    grpcPort = grpc.start();
    httpPort = http.start();
  }

  @AfterEach
  void stop() {
    grpc.close();
    http.close();
    storage.close();
  }

  MetricExporter metricExporter(String transport) {
    return metricExporter(transport, AggregationTemporalitySelector.alwaysCumulative());
  }

  MetricExporter metricExporter(String transport, AggregationTemporalitySelector temporality) {
    return transport.equals("grpc")
        ? OtlpGrpcMetricExporter.builder().setEndpoint("http://127.0.0.1:" + grpcPort)
            .setAggregationTemporalitySelector(temporality).build()
        : OtlpHttpMetricExporter.builder().setEndpoint("http://127.0.0.1:" + httpPort + "/v1/metrics")
            .setAggregationTemporalitySelector(temporality).build();
  }

  LogRecordExporter logExporter(String transport) {
    return transport.equals("grpc")
        ? OtlpGrpcLogRecordExporter.builder().setEndpoint("http://127.0.0.1:" + grpcPort).build()
        : OtlpHttpLogRecordExporter.builder().setEndpoint("http://127.0.0.1:" + httpPort + "/v1/logs").build();
  }

  SpanExporter spanExporter(String transport) {
    return transport.equals("grpc")
        ? OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + grpcPort).setCompression("gzip").build()
        : OtlpHttpSpanExporter.builder().setEndpoint("http://127.0.0.1:" + httpPort + "/v1/traces")
            .setCompression("gzip").build();
  }

  static void succeeded(CompletableResultCode r) {
    assertTrue(r.join(20, TimeUnit.SECONDS).isSuccess(), "export failed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http"})
  void metrics(String transport) {
    try (SdkMeterProvider mp = SdkMeterProvider.builder().setResource(RESOURCE)
        .registerMetricReader(PeriodicMetricReader.builder(metricExporter(transport))
            .setInterval(Duration.ofHours(1)).build())
        .registerView(InstrumentSelector.builder().setName("exp.latency").build(),
            View.builder().setAggregation(Aggregation.base2ExponentialBucketHistogram()).build())
        .build()) {
      Meter meter = mp.get("test-meter");
      Attributes get = Attributes.of(AttributeKey.stringKey("http.method"), "GET");
      meter.counterBuilder("http.requests").setUnit("{request}").build().add(3, get);
      var queue = meter.upDownCounterBuilder("queue.size").build();
      queue.add(5);
      queue.add(-2);
      meter.gaugeBuilder("cpu.utilization").setUnit("1").buildWithCallback(m -> m.record(0.5));
      var h = meter.histogramBuilder("http.server.duration").setUnit("ms")
          .setExplicitBucketBoundariesAdvice(List.of(10.0, 100.0)).build();
      h.record(5, get);
      h.record(50, get);
      h.record(500, get);
      var exp = meter.histogramBuilder("exp.latency").setUnit("s").build();
      exp.record(1.0);
      exp.record(2.0);
      exp.record(4.0);
      succeeded(mp.forceFlush());
      // Checked before close: closing the provider exports once more.
      checkMetrics();
    }
  }

  void checkMetrics() {
    var requests = StoredRows.metric(storage, "http_requests_total");
    assertEquals(1, requests.size(), requests.toString());
    Map<String, Object> r = requests.get(0);
    assertEquals(3.0, r.get("value"));
    assertEquals("GET", r.get("http_method"));
    assertEquals("shop/checkout", r.get("job"));
    assertEquals("i-1", r.get("instance"));
    assertEquals("test-meter", r.get("otel_scope_name"));
    assertEquals(3.0, StoredRows.metric(storage, "queue_size").get(0).get("value"));
    assertEquals(0.5, StoredRows.metric(storage, "cpu_utilization_ratio").get(0).get("value"));

    var buckets = StoredRows.metric(storage, "http_server_duration_milliseconds_bucket");
    Map<Object, Object> le = buckets.stream().collect(Collectors.toMap(b -> b.get("le"), b -> b.get("value")));
    assertEquals(Map.of("10", 1.0, "100", 2.0, "+Inf", 3.0), le);
    assertEquals(555.0, StoredRows.metric(storage, "http_server_duration_milliseconds_sum").get(0).get("value"));
    assertEquals(3.0, StoredRows.metric(storage, "http_server_duration_milliseconds_count").get(0).get("value"));

    assertEquals(3.0, one(StoredRows.metric(storage, "exp_latency_seconds_bucket"), "le", "+Inf").get("value"));
    assertTrue(StoredRows.metric(storage, "exp_latency_seconds_bucket").size() > 2);
    assertEquals(7.0, StoredRows.metric(storage, "exp_latency_seconds_sum").get(0).get("value"));
    assertEquals(3.0, StoredRows.metric(storage, "exp_latency_seconds_count").get(0).get("value"));

    Map<String, Object> info = StoredRows.metric(storage, "target_info").get(0);
    assertEquals("h1", info.get("host_name"));
    assertEquals("shop/checkout", info.get("job"));
  }


  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http"})
  void deltaTemporalityAndExemplars(String transport) {
    // The span is exported too: an exemplar's trace id finds its trace in otel.spans.
    try (SdkTracerProvider tp = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spanExporter(transport))).build();
        SdkMeterProvider mp = SdkMeterProvider.builder().setResource(RESOURCE)
            .registerMetricReader(PeriodicMetricReader.builder(
                metricExporter(transport, AggregationTemporalitySelector.deltaPreferred()))
                .setInterval(Duration.ofHours(1)).build())
            .build()) {
      Meter meter = mp.get("delta-meter");
      var done = meter.counterBuilder("jobs.done").build();
      var duration = meter.histogramBuilder("job.duration").setUnit("s")
          .setExplicitBucketBoundariesAdvice(List.of(1.0, 10.0)).build();
      Span span = tp.get("t").spanBuilder("work").startSpan();
      try (var scope = span.makeCurrent()) {
        done.add(2);
        duration.record(3.0);
      } finally {
        span.end();
      }
      succeeded(mp.forceFlush());
      done.add(5);
      succeeded(mp.forceFlush());

      var rows = StoredRows.metric(storage, "jobs_done_total");
      assertEquals(List.of(2.0, 5.0), rows.stream().map(r -> r.get("value")).toList(), rows.toString());
      assertTrue(rows.stream().allMatch(r -> "delta".equals(r.get("otel_temporality"))), rows.toString());
      // Each delta's interval starts where the one before ended.
      assertEquals(rows.get(0).get("ts"), rows.get(1).get("created_timestamp"), rows.toString());
      var buckets = StoredRows.metric(storage, "job_duration_seconds_bucket");
      Map<Object, Object> le = buckets.stream().collect(Collectors.toMap(b -> b.get("le"), b -> b.get("value")));
      assertEquals(Map.of("1", 0.0, "10", 1.0, "+Inf", 1.0), le);

      String trace = span.getSpanContext().getTraceId();
      var exemplars = StoredRows.rows(storage, "metrics", "exemplars");
      Map<String, Object> counterExemplar = one(exemplars, "metric", "jobs_done_total");
      assertEquals(trace, counterExemplar.get("trace_id"));
      assertEquals(span.getSpanContext().getSpanId(), counterExemplar.get("span_id"));
      assertEquals(2.0, counterExemplar.get("value"));
      Map<String, Object> bucketExemplar = one(exemplars, "metric", "job_duration_seconds_bucket");
      assertEquals(trace, bucketExemplar.get("trace_id"));
      assertEquals(3.0, bucketExemplar.get("value"));
      assertTrue(((String) bucketExemplar.get("series_labels")).contains("\"le\":\"10\""),
          bucketExemplar.toString());
      succeeded(tp.forceFlush());
      assertEquals("work", one(StoredRows.rows(storage, "otel", "spans"), "trace_id", trace).get("name"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http"})
  void logsAndSpans(String transport) throws Exception {
    Span parent;
    Span child;
    try (SdkTracerProvider tp = SdkTracerProvider.builder().setResource(RESOURCE)
        .addSpanProcessor(SimpleSpanProcessor.create(spanExporter(transport))).build();
        SdkLoggerProvider lp = SdkLoggerProvider.builder().setResource(RESOURCE)
            .addLogRecordProcessor(SimpleLogRecordProcessor.create(logExporter(transport))).build()) {
      Tracer tracer = tp.get("test-tracer", "0.9");
      parent = tracer.spanBuilder("GET /orders").setSpanKind(SpanKind.SERVER)
          .setStartTimestamp(T, TimeUnit.NANOSECONDS).setAttribute("http.method", "GET")
          .setAttribute("http.status_code", 200L).startSpan();
      child = tracer.spanBuilder("SELECT orders").setParent(Context.root().with(parent))
          .setSpanKind(SpanKind.CLIENT).setStartTimestamp(T + 1_000, TimeUnit.NANOSECONDS).startSpan();
      child.addEvent("cache miss", Attributes.of(AttributeKey.stringKey("key"), "k1"), T + 2_000, TimeUnit.NANOSECONDS);
      child.setStatus(StatusCode.ERROR, "boom");
      lp.get("test-logger").logRecordBuilder()
          .setContext(Context.root().with(child))
          .setTimestamp(T + 3_000, TimeUnit.NANOSECONDS)
          .setSeverity(Severity.ERROR).setSeverityText("ERROR")
          .setBody("payment failed for order 42")
          .setAttribute(AttributeKey.stringKey("order.id"), "42")
          .emit();
      lp.get("test-logger").logRecordBuilder().setBody("all good").setSeverity(Severity.INFO).emit();
      child.end(T + 5_000, TimeUnit.NANOSECONDS);
      parent.end(T + 10_000, TimeUnit.NANOSECONDS);
      succeeded(lp.forceFlush());
      succeeded(tp.forceFlush());
    }
    String traceId = parent.getSpanContext().getTraceId();
    var spans = StoredRows.rows(storage, "otel", "spans");
    assertEquals(2, spans.size(), spans.toString());
    Map<String, Object> c = one(spans, "name", "SELECT orders");
    assertEquals(traceId, c.get("trace_id"));
    assertEquals(child.getSpanContext().getSpanId(), c.get("span_id"));
    assertEquals(parent.getSpanContext().getSpanId(), c.get("parent_span_id"));
    assertEquals(T + 1_000, c.get("start_time_unix_nano"));
    assertEquals(T + 5_000, c.get("end_time_unix_nano"));
    assertEquals(4_000L, c.get("duration_nano"));
    assertEquals((T + 1_000) / 1_000_000, c.get("ts"));
    assertEquals("CLIENT", c.get("kind"));
    assertEquals("ERROR", c.get("status_code"));
    assertEquals("boom", c.get("status_message"));
    assertEquals("checkout", c.get("service_name"));
    assertEquals("test-tracer", c.get("scope_name"));
    assertEquals("0.9", c.get("scope_version"));
    assertTrue(((String) c.get("events")).contains("\"name\":\"cache miss\""), (String) c.get("events"));
    Map<String, Object> p = one(spans, "name", "GET /orders");
    assertEquals("SERVER", p.get("kind"));
    assertEquals("{\"http.method\":\"GET\",\"http.status_code\":200}", p.get("attributes"));

    var logs = StoredRows.rows(storage, "otel", "logs");
    assertEquals(2, logs.size(), logs.toString());
    Map<String, Object> l = one(logs, "body", "payment failed for order 42");
    assertEquals(T + 3_000, l.get("time_unix_nano"));
    assertEquals(17, l.get("severity_number"));
    assertEquals("ERROR", l.get("severity_text"));
    assertEquals(traceId, l.get("trace_id"));
    assertEquals(child.getSpanContext().getSpanId(), l.get("span_id"));
    assertEquals("{\"order.id\":\"42\"}", l.get("attributes"));
    assertTrue(((String) l.get("resource_attributes")).contains("\"host.name\":\"h1\""));
    Map<String, Object> other = one(logs, "body", "all good");
    assertTrue(other.containsKey("observed_time_unix_nano") && other.containsKey("ts"), other.toString());

    // SQL: full-text search over bodies, attributes by key, ids as text.
    try (Connection conn = calcite(); Statement st = conn.createStatement()) {
      assertEquals(List.of("payment failed for order 42"),
          column(st, "SELECT body FROM otel.logs WHERE text_match(body, 'PAYMENT order')"));
      assertEquals(List.of("42"),
          column(st, "SELECT JSON_VALUE(attributes, 'lax $[''order.id'']') FROM otel.logs WHERE severity_number = 17"));
      assertEquals(List.of("GET /orders"), column(st, "SELECT name FROM otel.spans WHERE trace_id = '" + traceId
          + "' AND JSON_VALUE(attributes, 'lax $[''http.method'']') = 'GET'"));
    }
  }

  Connection calcite() throws Exception {
    Properties p = new Properties();
    p.setProperty("caseSensitive", "true");
    p.setProperty("unquotedCasing", "TO_LOWER");
    p.setProperty("quotedCasing", "UNCHANGED");
    p.setProperty("quoting", "DOUBLE_QUOTE");
    p.setProperty("timeZone", "UTC");
    Connection c = new org.apache.calcite.jdbc.Driver().connect("jdbc:calcite:", p);
    CalciteConnection cc = c.unwrap(CalciteConnection.class);
    for (String s : List.of("metrics", "otel")) {
      cc.getRootSchema().add(s, new LumaSchema(storage, s));
    }
    cc.setSchema("otel");
    return c;
  }

  static List<String> column(Statement st, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}

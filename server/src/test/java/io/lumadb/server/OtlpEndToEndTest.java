package io.lumadb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real OpenTelemetry Java SDK exports metrics and logs over OTLP/gRPC and spans over
 * OTLP/HTTP to a running server; the data is then read with SQL over pgwire (search path,
 * full-text search on log bodies, attributes by key) and is still there after a restart.
 */
class OtlpEndToEndTest {
  @TempDir
  Path dir;

  static final Resource RESOURCE = Resource.create(Attributes.builder()
      .put("service.name", "checkout").put("service.instance.id", "i-1").build());

  private static List<String> rows(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      return ResultRows.of(rs);
    }
  }

  private static void export(LumaServer s) {
    String grpc = "http://127.0.0.1:" + s.otlpGrpcPort();
    try (SdkMeterProvider meters = SdkMeterProvider.builder().setResource(RESOURCE)
        .registerMetricReader(PeriodicMetricReader.builder(
            OtlpGrpcMetricExporter.builder().setEndpoint(grpc).build()).setInterval(Duration.ofHours(1)).build())
        .build()) {
      meters.get("shop").counterBuilder("orders").setUnit("{order}").build()
          .add(3, Attributes.of(AttributeKey.stringKey("region"), "eu"));
      assertTrue(meters.forceFlush().join(20, TimeUnit.SECONDS).isSuccess(), "metrics export failed");
    }
    try (SdkLoggerProvider logs = SdkLoggerProvider.builder().setResource(RESOURCE)
        .addLogRecordProcessor(SimpleLogRecordProcessor.create(
            OtlpGrpcLogRecordExporter.builder().setEndpoint(grpc).build())).build()) {
      logs.get("shop").logRecordBuilder().setSeverity(Severity.ERROR).setBody("payment gateway timeout after 30s")
          .setAttribute(AttributeKey.stringKey("order.id"), "o-17").emit();
      logs.get("shop").logRecordBuilder().setSeverity(Severity.INFO).setBody("order placed").emit();
      assertTrue(logs.forceFlush().join(20, TimeUnit.SECONDS).isSuccess(), "logs export failed");
    }
    try (SdkTracerProvider traces = SdkTracerProvider.builder().setResource(RESOURCE)
        .addSpanProcessor(SimpleSpanProcessor.create(OtlpHttpSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + s.otlpHttpPort() + "/v1/traces").build())).build()) {
      Span span = traces.get("shop").spanBuilder("POST /checkout").setSpanKind(SpanKind.SERVER).startSpan();
      span.setAttribute("http.status_code", 502);
      // A delta counter and a histogram measured inside the span: their exemplars carry its ids.
      try (SdkMeterProvider deltas = SdkMeterProvider.builder().setResource(RESOURCE)
          .registerMetricReader(PeriodicMetricReader.builder(OtlpGrpcMetricExporter.builder().setEndpoint(grpc)
              .setAggregationTemporalitySelector(AggregationTemporalitySelector.deltaPreferred()).build())
              .setInterval(Duration.ofHours(1)).build())
          .build()) {
        var jobs = deltas.get("shop").counterBuilder("jobs.done").build();
        var latency = deltas.get("shop").histogramBuilder("checkout.latency").setUnit("s")
            .setExplicitBucketBoundariesAdvice(List.of(0.1, 1.0)).build();
        try (var scope = span.makeCurrent()) {
          jobs.add(2);
          latency.record(0.5);
        }
        assertTrue(deltas.forceFlush().join(20, TimeUnit.SECONDS).isSuccess(), "metrics export failed");
        jobs.add(5);
        assertTrue(deltas.forceFlush().join(20, TimeUnit.SECONDS).isSuccess(), "metrics export failed");
      }
      span.end();
      assertTrue(traces.forceFlush().join(20, TimeUnit.SECONDS).isSuccess(), "span export failed");
    }
  }

  private static void checkSql(LumaServer s) throws Exception {
    try (Connection c = DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + s.pgPort() + "/default", "lumadb", "lumadb");
        Statement st = c.createStatement()) {
      // metrics.orders_total, found through the search path; the provider exports the
      // cumulative sum on flush and again on close, at two times
      assertEquals(List.of("3|eu|checkout|i-1"),
          rows(st, "SELECT DISTINCT value, region, job, instance FROM orders_total"));
      assertEquals(List.of("payment gateway timeout after 30s|17|checkout"), // 17 = ERROR
          rows(st, "SELECT body, severity_number, service_name FROM otel.logs WHERE text_match(body, 'timeout')"));
      assertEquals(List.of("o-17"), rows(st,
          "SELECT JSON_VALUE(attributes, 'lax $[''order.id'']') FROM otel.logs WHERE text_match(body, 'gateway')"));
      List<String> spans = rows(st, "SELECT name, kind, char_length(trace_id), char_length(span_id),"
          + " duration_nano >= 0, JSON_VALUE(attributes, 'lax $[''http.status_code'']') FROM otel.spans");
      assertEquals(List.of("POST /checkout|SERVER|32|16|t|502"), spans);
      // Deltas: each row is one interval's change; the second interval starts where the first ends.
      assertEquals(List.of("7|2"), rows(st,
          "SELECT sum(\"value\"), count(*) FROM jobs_done_total WHERE otel_temporality = 'delta'"));
      // (compared in Java: within one millisecond the first interval may start at its own end)
      List<String> intervals = rows(st, "SELECT ts, created_timestamp FROM jobs_done_total ORDER BY \"value\"");
      assertEquals(2, intervals.size(), intervals.toString());
      assertEquals(intervals.get(0).split("\\|")[0], intervals.get(1).split("\\|")[1], intervals.toString());
      assertEquals(List.of("jobs_done_total|2|POST /checkout", "checkout_latency_seconds_bucket|0.5|POST /checkout"),
          rows(st, "SELECT e.metric, e.\"value\", s.name FROM metrics.exemplars e"
              + " JOIN otel.spans s ON s.trace_id = e.trace_id AND s.span_id = e.span_id"
              + " WHERE e.metric IN ('jobs_done_total', 'checkout_latency_seconds_bucket') ORDER BY e.\"value\" DESC"));
      assertEquals(List.of("1"), rows(st, "SELECT JSON_VALUE(series_labels, 'lax $.le') FROM metrics.exemplars"
          + " WHERE metric = 'checkout_latency_seconds_bucket'"));
    }
  }

  @Test
  void sdkExportsAreQueryableOverPgwireAndSurviveRestart() throws Exception {
    Path data = dir.resolve("data");
    try (LumaServer s = TestServers.start(data)) {
      export(s);
      checkSql(s);
    }
    try (LumaServer s = TestServers.start(data)) {
      checkSql(s);
    }
  }
}

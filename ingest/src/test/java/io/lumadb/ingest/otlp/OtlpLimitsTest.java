package io.lumadb.ingest.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.RetryInfo;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.lumadb.ingest.IngestLimits;
import io.lumadb.ingest.SeriesTracker;
import io.lumadb.storage.MetricsStorage;
import io.lumadb.storage.StorageConfig;
import io.lumadb.storage.StorageEngine;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * OTLP limits through real gRPC and HTTP clients against one shared receiver: the per-sender
 * rate limit (RESOURCE_EXHAUSTED + RetryInfo, 429 + Retry-After + google.rpc.Status) on a clock
 * the test moves, and the series limit per metric (points rejected in partial_success,
 * INVALID_ARGUMENT / 400 when none is left). Refused requests write nothing.
 */
class OtlpLimitsTest {
  static final long SECOND = 1_000_000_000L;
  static final long T = 1_700_000_000_000_000_000L;
  final AtomicLong clock = new AtomicLong(SECOND);
  final PrometheusRegistry registry = new PrometheusRegistry();
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  StorageEngine storage;
  OtlpGrpcServer grpc;
  OtlpHttpServer httpServer;
  ManagedChannel channel;
  int httpPort;

  void start(IngestLimits limits) throws Exception {
    storage = new StorageEngine(StorageConfig.DEFAULTS);
    OtlpConfig config = new OtlpConfig(true, "127.0.0.1", 0, 0, 1 << 20, limits);
    OtlpReceiver receiver = new OtlpReceiver(storage, new MetricsStorage(storage), limits,
        new SeriesTracker(clock::get), registry, clock::get);
    grpc = new OtlpGrpcServer(config, receiver);
    httpServer = new OtlpHttpServer(config, receiver);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", grpc.start()).usePlaintext().build();
    httpPort = httpServer.start();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    grpc.close();
    httpServer.close();
    storage.close();
  }

  MetricsServiceGrpc.MetricsServiceBlockingStub metrics() {
    return MetricsServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  /** A gauge with one point per host. */
  static Metric gauge(String name, String... hosts) {
    Gauge.Builder g = Gauge.newBuilder();
    for (String h : hosts) {
      g.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsDouble(1)
          .addAttributes(KeyValue.newBuilder().setKey("host").setValue(AnyValue.newBuilder().setStringValue(h))));
    }
    return Metric.newBuilder().setName(name).setGauge(g).build();
  }

  static ExportMetricsServiceRequest request(Metric... m) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(m)))).build();
  }

  HttpResponse<byte[]> postHttp(String path, byte[] body, String type) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", type).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  double rejected(String signal, String limit) {
    for (var s : registry.scrape().stream().toList()) {
      if (s instanceof CounterSnapshot c && c.getMetadata().getName().equals("lumadb_otlp_rejected_requests")) {
        for (var d : c.getDataPoints()) {
          if (d.getLabels().get("signal").equals(signal) && d.getLabels().get("limit").equals(limit)) {
            return d.getValue();
          }
        }
      }
    }
    return 0;
  }

  @Test
  void grpcOverTheRateIsResourceExhaustedWithRetryInfo() throws Exception {
    start(new IngestLimits(1, 3, "", 0));
    var logs = LogsServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    logs.export(OtlpGrpcServerTest.logs("one"));
    logs.export(OtlpGrpcServerTest.logs("two"));
    logs.export(OtlpGrpcServerTest.logs("three"));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> logs.export(OtlpGrpcServerTest.logs("four")));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().startsWith("E002: rate limit exceeded: sender 127.0.0.1 may send "
        + "1 log records per second (burst 3)"), e.getStatus().getDescription());
    var details = StatusProto.fromThrowable(e).getDetailsList();
    assertEquals(1, details.size());
    assertEquals(1, details.get(0).unpack(RetryInfo.class).getRetryDelay().getSeconds());
    assertEquals(3, StoredRows.rows(storage, "otel", "logs").size(), "the refused request wrote nothing");
    // Metrics come out of the same bucket: three gauge points need three seconds.
    StatusRuntimeException m = assertThrows(StatusRuntimeException.class,
        () -> metrics().export(request(gauge("temp", "a", "b", "c"))));
    assertEquals(3, StatusProto.fromThrowable(m).getDetails(0).unpack(RetryInfo.class).getRetryDelay().getSeconds());
    assertTrue(storage.table(new io.lumadb.storage.TableId("metrics", "temp")).isEmpty());
    clock.addAndGet(3 * SECOND);
    assertFalse(metrics().export(request(gauge("temp", "a", "b", "c"))).hasPartialSuccess(), "after waiting");
    assertEquals(3, StoredRows.metric(storage, "temp").size());
    assertEquals(1, rejected("logs", "rate"));
    assertEquals(1, rejected("metrics", "rate"));
  }

  @Test
  void httpOverTheRateIs429WithRetryAfterAndAStatusBody() throws Exception {
    start(new IngestLimits(2, 4, "", 0));
    byte[] four = request(gauge("temp", "a", "b", "c", "d")).toByteArray();
    assertEquals(200, postHttp("/v1/metrics", four, "application/x-protobuf").statusCode());
    HttpResponse<byte[]> r = postHttp("/v1/metrics", four, "application/x-protobuf");
    assertEquals(429, r.statusCode());
    assertEquals("2", r.headers().firstValue("Retry-After").orElse(""), "4 samples at 2/s");
    com.google.rpc.Status s = com.google.rpc.Status.parseFrom(r.body());
    assertEquals(com.google.rpc.Code.RESOURCE_EXHAUSTED_VALUE, s.getCode());
    assertEquals("E002: rate limit exceeded: sender 127.0.0.1 may send 2 samples per second (burst 4); "
        + "retry after 2 s", s.getMessage());
    assertEquals(2, s.getDetails(0).unpack(RetryInfo.class).getRetryDelay().getSeconds());
    assertEquals(4, StoredRows.metric(storage, "temp").size());
    // One second later two tokens are back: two one-span requests pass, the third waits half a second.
    clock.addAndGet(SECOND);
    byte[] span = ("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\","
        + "\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"op\",\"startTimeUnixNano\":\"1700000000000000000\"}]}]}]}")
        .getBytes(StandardCharsets.UTF_8);
    assertEquals(200, postHttp("/v1/traces", span, "application/json").statusCode());
    assertEquals(200, postHttp("/v1/traces", span, "application/json").statusCode());
    HttpResponse<byte[]> j = postHttp("/v1/traces", span, "application/json");
    assertEquals(429, j.statusCode());
    assertEquals("1", j.headers().firstValue("Retry-After").orElse(""));
    // JSON requests get the status in JSON.
    String body = new String(j.body(), StandardCharsets.UTF_8);
    assertTrue(body.contains("\"code\":8") && body.contains("2 spans per second (burst 4)")
        && body.contains("type.googleapis.com/google.rpc.RetryInfo") && body.contains("\"retryDelay\":\"1s\""), body);
    assertEquals(2, StoredRows.rows(storage, "otel", "spans").size());
    clock.addAndGet(2 * SECOND);
    assertEquals(200, postHttp("/v1/metrics", four, "application/x-protobuf").statusCode(), "after waiting");
    assertEquals(8, StoredRows.metric(storage, "temp").size());
    assertEquals(1, rejected("metrics", "rate"));
    assertEquals(1, rejected("traces", "rate"));
  }

  @Test
  void newSeriesPastTheLimitAreRejectedInPartialSuccess() throws Exception {
    start(new IngestLimits(0, 0, "", 2));
    assertFalse(metrics().export(request(gauge("temp", "a", "b"))).hasPartialSuccess());
    // a exists, c is the third series: c is rejected, a stored.
    ExportMetricsServiceResponse r = metrics().export(request(gauge("temp", "a", "c")));
    assertEquals(1, r.getPartialSuccess().getRejectedDataPoints());
    assertEquals("rejected 1 data point(s): metric \"temp\" has reached its limit of 2 series (max series per "
        + "metric): new series are rejected, existing series are still accepted", r.getPartialSuccess().getErrorMessage());
    assertEquals(3, StoredRows.metric(storage, "temp").size());
    assertTrue(StoredRows.metric(storage, "temp").stream().noneMatch(row -> "c".equals(row.get("host"))));
    // Only new series: INVALID_ARGUMENT over gRPC, 400 over HTTP, nothing written.
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> metrics().export(request(gauge("temp", "d", "e"))));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("metric \"temp\" has reached its limit of 2 series"),
        e.getStatus().getDescription());
    HttpResponse<byte[]> h = postHttp("/v1/metrics", request(gauge("temp", "f")).toByteArray(), "application/x-protobuf");
    assertEquals(400, h.statusCode());
    assertTrue(com.google.rpc.Status.parseFrom(h.body()).getMessage().contains("limit of 2 series"));
    assertEquals(3, StoredRows.metric(storage, "temp").size());
    // Over HTTP the old series are still accepted.
    assertEquals(200, postHttp("/v1/metrics", request(gauge("temp", "b")).toByteArray(), "application/x-protobuf")
        .statusCode());
    assertEquals(4, StoredRows.metric(storage, "temp").size());
    assertEquals(3, rejected("metrics", "series"));
  }

  @Test
  void aHistogramPointIsKeptOrRejectedWithAllItsSeries() throws Exception {
    start(new IngestLimits(0, 0, "", 3));
    // _bucket gets three series (le=1, le=2, le=+Inf) from one point; a second point needs three more.
    Metric h = Metric.newBuilder().setName("latency").setHistogram(Histogram.newBuilder()
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
        .addDataPoints(withExemplar(point("a"), 0.5)).addDataPoints(withExemplar(point("b"), 1.5))).build();
    ExportMetricsServiceResponse r = metrics().export(request(h));
    assertEquals(1, r.getPartialSuccess().getRejectedDataPoints());
    assertTrue(r.getPartialSuccess().getErrorMessage().contains("metric \"latency_bucket\""),
        r.getPartialSuccess().getErrorMessage());
    assertEquals(3, StoredRows.metric(storage, "latency_bucket").size());
    assertEquals(1, StoredRows.metric(storage, "latency_count").size(), "the refused point's _count is not kept either");
    assertTrue(StoredRows.metric(storage, "latency_count").stream().allMatch(row -> "a".equals(row.get("host"))));
    // The refused point's exemplar goes with it.
    assertEquals(List.of(0.5), StoredRows.rows(storage, "metrics", "exemplars").stream()
        .map(row -> row.get("value")).toList());
  }

  static HistogramDataPoint withExemplar(HistogramDataPoint p, double value) {
    return p.toBuilder().addExemplars(io.opentelemetry.proto.metrics.v1.Exemplar.newBuilder()
        .setTimeUnixNano(T).setAsDouble(value)).build();
  }

  static HistogramDataPoint point(String host) {
    return HistogramDataPoint.newBuilder().setTimeUnixNano(T).setCount(3).setSum(4)
        .addExplicitBounds(1).addExplicitBounds(2).addBucketCounts(1).addBucketCounts(1).addBucketCounts(1)
        .addAttributes(KeyValue.newBuilder().setKey("host").setValue(AnyValue.newBuilder().setStringValue(host)))
        .build();
  }
}

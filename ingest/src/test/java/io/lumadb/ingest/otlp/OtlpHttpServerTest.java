package io.lumadb.ingest.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.storage.StorageConfig;
import io.lumadb.storage.StorageEngine;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OTLP/HTTP over a real HTTP client: encodings, compression, every rejection, and that rejected writes nothing. */
class OtlpHttpServerTest {
  static final int LIMIT = 64 * 1024;
  static final String TRACE = "5b8efff798038103d269b633813fc60c";
  static final String SPAN = "eee19b7ec3c1b174";

  StorageEngine storage;
  OtlpHttpServer server;
  int port;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  void start(StorageConfig storageConfig) throws Exception {
    storage = new StorageEngine(storageConfig);
    server = new OtlpHttpServer(new OtlpConfig(true, "127.0.0.1", 0, 0, LIMIT), storage);
    port = server.start();
  }

  @BeforeEach
  void start() throws Exception {
    start(StorageConfig.DEFAULTS);
  }

  @AfterEach
  void stop() {
    server.close();
    storage.close();
  }

  HttpResponse<byte[]> post(String path, byte[] body, String type, String encoding) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (type != null) {
      r.header("Content-Type", type);
    }
    if (encoding != null) {
      r.header("Content-Encoding", encoding);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<byte[]> postJson(String path, String json) throws Exception {
    return post(path, json.getBytes(StandardCharsets.UTF_8), "application/json", null);
  }

  static byte[] gzip(byte[] raw) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(out)) {
      g.write(raw);
    }
    return out.toByteArray();
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  static com.google.rpc.Status status(HttpResponse<byte[]> r) throws Exception {
    return com.google.rpc.Status.parseFrom(r.body());
  }

  static ExportLogsServiceRequest logs(String body) {
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder()
            .setTimeUnixNano(1_700_000_000_000_000_001L).setBody(AnyValue.newBuilder().setStringValue(body)))))
        .build();
  }

  @Test
  void jsonWithHexIdsIsStoredAndAnsweredInJson() throws Exception {
    String json = """
        {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"web"}}]},
          "scopeLogs":[{"scope":{"name":"s"},"logRecords":[{
            "timeUnixNano":"1700000000000000001","severityNumber":9,"severityText":"INFO",
            "body":{"stringValue":"user signed in"},"traceId":"%s","spanId":"%s","flags":1,
            "attributes":[{"key":"user.id","value":{"intValue":"7"}},{"key":"ok","value":{"boolValue":true}}],
            "someFutureField":{"x":1}}]}]}]}
        """.formatted(TRACE.toUpperCase(), SPAN);
    HttpResponse<byte[]> r = postJson("/v1/logs", json);
    assertEquals(200, r.statusCode(), text(r));
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    assertEquals("{}", text(r));
    Map<String, Object> row = StoredRows.rows(storage, "otel", "logs").get(0);
    assertEquals(TRACE, row.get("trace_id"));
    assertEquals(SPAN, row.get("span_id"));
    assertEquals(1_700_000_000_000_000_001L, row.get("time_unix_nano"));
    assertEquals(1_700_000_000_000L, row.get("ts"));
    assertEquals("web", row.get("service_name"));
    assertEquals("{\"user.id\":7,\"ok\":true}", row.get("attributes"));
    assertEquals(1L, row.get("flags"));

    String spans = """
        {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"%s","spanId":"%s","parentSpanId":"",
          "name":"op","kind":2,"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000000000500",
          "status":{"code":2}}]}]}]}
        """.formatted(TRACE, SPAN);
    assertEquals(200, postJson("/v1/traces", spans).statusCode());
    Map<String, Object> span = StoredRows.rows(storage, "otel", "spans").get(0);
    assertEquals(TRACE, span.get("trace_id"));
    assertEquals(500L, span.get("duration_nano"));
    assertEquals("SERVER", span.get("kind"));
    assertEquals("ERROR", span.get("status_code"));
  }

  @Test
  void jsonMetricsWithPartialSuccess() throws Exception {
    String json = """
        {"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"web"}}]},
          "scopeMetrics":[{"metrics":[
            {"name":"up.time","unit":"s","gauge":{"dataPoints":[{"timeUnixNano":"1700000000000000000","asDouble":12.5}]}},
            {"name":"hits","sum":{"aggregationTemporality":1,"isMonotonic":true,
              "dataPoints":[{"timeUnixNano":"1700000000000000000","asInt":"4"}]}},
            {"name":"misses","sum":{"isMonotonic":true,
              "dataPoints":[{"timeUnixNano":"1700000000000000000","asInt":"4"}]}}]}]}]}
        """;
    HttpResponse<byte[]> r = postJson("/v1/metrics", json);
    assertEquals(200, r.statusCode(), text(r));
    assertTrue(text(r).contains("\"rejectedDataPoints\":\"1\""), text(r));
    assertTrue(text(r).contains("misses"), text(r));
    var rows = StoredRows.metric(storage, "up_time_seconds");
    assertEquals(1, rows.size());
    assertEquals(12.5, rows.get(0).get("value"));
    assertEquals("web", rows.get(0).get("job"));
    assertEquals(List.of("delta"), StoredRows.metric(storage, "hits_total").stream()
        .map(x -> x.get("otel_temporality")).toList());
    assertTrue(storage.table(new io.lumadb.storage.TableId("metrics", "misses_total")).isEmpty());
  }

  @Test
  void gzipProtobuf() throws Exception {
    HttpResponse<byte[]> r = post("/v1/logs", gzip(logs("zipped hello").toByteArray()),
        "application/x-protobuf", "gzip");
    assertEquals(200, r.statusCode(), text(r));
    assertEquals("application/x-protobuf", r.headers().firstValue("Content-Type").orElse(""));
    assertEquals(0, ExportMetricsServiceResponse.parseFrom(r.body()).getSerializedSize());
    assertEquals("zipped hello", StoredRows.rows(storage, "otel", "logs").get(0).get("body"));
  }

  @Test
  void oversizedBodiesAre413BeforeAndAfterDecompression() throws Exception {
    byte[] big = logs("x".repeat(LIMIT)).toByteArray();
    HttpResponse<byte[]> plain = post("/v1/logs", big, "application/x-protobuf", null);
    assertEquals(413, plain.statusCode());
    byte[] zipped = gzip(big);
    assertTrue(zipped.length < LIMIT);
    HttpResponse<byte[]> r = post("/v1/logs", zipped, "application/x-protobuf", "gzip");
    assertEquals(413, r.statusCode());
    assertEquals(com.google.rpc.Code.RESOURCE_EXHAUSTED_VALUE, status(r).getCode());
    assertTrue(storage.table(OtelTables.LOGS).isEmpty(), "nothing written");
  }

  @Test
  void malformedBodiesAre400AndWriteNothing() throws Exception {
    HttpResponse<byte[]> r = post("/v1/metrics", new byte[] {(byte) 0xff, 1, 2, 3}, "application/x-protobuf", null);
    assertEquals(400, r.statusCode());
    assertEquals(com.google.rpc.Code.INVALID_ARGUMENT_VALUE, status(r).getCode());
    assertTrue(status(r).getMessage().contains("malformed protobuf"), status(r).getMessage());

    HttpResponse<byte[]> j = postJson("/v1/logs", "{\"resourceLogs\": [");
    assertEquals(400, j.statusCode());
    assertEquals("application/json", j.headers().firstValue("Content-Type").orElse(""));
    assertTrue(text(j).contains("\"code\":3"), text(j));

    assertEquals(400, postJson("/v1/logs", "{\"resourceLogs\":{\"x\":1}}").statusCode());
    assertEquals(400, postJson("/v1/traces", """
        {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"zz","spanId":"%s","name":"a"}]}]}]}
        """.formatted(SPAN)).statusCode());
    assertEquals(400, post("/v1/logs", "not gzip".getBytes(), "application/x-protobuf", "gzip").statusCode());
    assertTrue(storage.allTables().isEmpty(), "nothing written");
  }

  @Test
  void partialSuccessForBadSpansAndLogs() throws Exception {
    String spans = """
        {"resourceSpans":[{"scopeSpans":[{"spans":[
          {"traceId":"%s","spanId":"%s","name":"good","startTimeUnixNano":"1"},
          {"traceId":"0102","spanId":"%s","name":"short-trace","startTimeUnixNano":"1"}]}]}]}
        """.formatted(TRACE, SPAN, SPAN);
    HttpResponse<byte[]> r = postJson("/v1/traces", spans);
    assertEquals(200, r.statusCode());
    assertTrue(text(r).contains("\"rejectedSpans\":\"1\""), text(r));
    assertEquals(List.of("good"), StoredRows.rows(storage, "otel", "spans").stream().map(m -> m.get("name")).toList());
  }

  @Test
  void wrongTypeMethodPathAndEncoding() throws Exception {
    byte[] body = logs("x").toByteArray();
    assertEquals(415, post("/v1/logs", body, "text/plain", null).statusCode());
    assertEquals(415, post("/v1/logs", body, null, null).statusCode());
    assertEquals(415, post("/v1/logs", body, "application/x-protobuf", "br").statusCode());
    assertEquals(404, post("/v1/profiles", body, "application/x-protobuf", null).statusCode());
    HttpResponse<byte[]> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/logs"))
        .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(405, get.statusCode());
    assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
    assertTrue(storage.allTables().isEmpty(), "nothing written");
  }

  @Test
  void overloadedStorageIs503WithRetryAfter() throws Exception {
    stop();
    start(StorageConfig.DEFAULTS.withHotMaxBytes(0));
    HttpResponse<byte[]> r = post("/v1/logs", logs("x").toByteArray(), "application/x-protobuf", null);
    assertEquals(503, r.statusCode());
    assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
    assertEquals(com.google.rpc.Code.UNAVAILABLE_VALUE, status(r).getCode());
    assertTrue(StoredRows.rows(storage, "otel", "logs").isEmpty());
  }
}

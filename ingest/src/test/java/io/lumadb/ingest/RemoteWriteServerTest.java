package io.lumadb.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.proto.prometheus.Remote;
import io.lumadb.proto.prometheus.Types;
import io.lumadb.storage.ColumnReader;
import io.lumadb.storage.LumaTable;
import io.lumadb.storage.MetricsStorage;
import io.lumadb.storage.StorageConfig;
import io.lumadb.storage.StorageEngine;
import io.lumadb.storage.TableId;
import io.lumadb.storage.TableSnapshot;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/** Remote write over real HTTP: what is accepted, what is refused, and that refused writes nothing. */
class RemoteWriteServerTest {
  static final String V1 = "application/x-protobuf";
  static final String V2 = "application/x-protobuf;proto=io.prometheus.write.v2.Request";
  @TempDir
  Path dir;
  StorageEngine storage;
  RemoteWriteServer server;
  int port;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    storage = StorageEngine.open(dir, StorageConfig.DEFAULTS);
    server = new RemoteWriteServer(new RemoteWriteServer.Config("127.0.0.1", 0, 128 * 1024, 256 * 1024),
        new MetricsStorage(storage), new PrometheusRegistry());
    port = server.start();
  }

  @AfterEach
  void stop() {
    server.close();
    storage.close();
  }

  static Types.TimeSeries series(String... labelsThenSamples) {
    Types.TimeSeries.Builder b = Types.TimeSeries.newBuilder();
    int i = 0;
    for (; i < labelsThenSamples.length && !labelsThenSamples[i].equals("|"); i += 2) {
      b.addLabels(Types.Label.newBuilder().setName(labelsThenSamples[i]).setValue(labelsThenSamples[i + 1]));
    }
    for (i++; i < labelsThenSamples.length; i += 2) {
      b.addSamples(Types.Sample.newBuilder().setTimestamp(Long.parseLong(labelsThenSamples[i]))
          .setValue(Double.parseDouble(labelsThenSamples[i + 1])));
    }
    return b.build();
  }

  HttpResponse<String> post(byte[] body, String type, String encoding) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/write"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (type != null) {
      r.header("Content-Type", type);
    }
    if (encoding != null) {
      r.header("Content-Encoding", encoding);
    }
    r.header("X-Prometheus-Remote-Write-Version", "0.1.0");
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> postV1(Types.TimeSeries... ts) throws Exception {
    return post(Snappy.compress(Remote.WriteRequest.newBuilder().addAllTimeseries(List.of(ts)).build().toByteArray()),
        V1, "snappy");
  }

  List<List<Object>> rows(String metric) {
    List<List<Object>> out = new ArrayList<>();
    LumaTable t = storage.table(new TableId("metrics", metric)).orElse(null);
    if (t == null) {
      return out;
    }
    try (TableSnapshot s = t.snapshot()) {
      for (TableSnapshot.Part p : s.parts()) {
        for (int r = 0; r < p.rowCount(); r++) {
          List<Object> row = new ArrayList<>();
          for (ColumnReader c : p.columns()) {
            row.add(c.get(r));
          }
          out.add(row);
        }
      }
    }
    return out;
  }

  @Test
  void validRequestIsStoredAndLabelsBecomeColumns() throws Exception {
    HttpResponse<String> r = postV1(
        series("__name__", "http_requests_total", "job", "api", "|", "1000", "1", "2000", "2"),
        series("__name__", "http_requests_total", "code", "500", "job", "api", "|", "3000", "5"),
        series("__name__", "up", "instance", "a:9100", "value", "x", "|", "1000", "1"));
    assertEquals(204, r.statusCode(), r.body());
    assertEquals(List.of("ts", "value", "code", "job"),
        storage.table(new TableId("metrics", "http_requests_total")).orElseThrow().schema().names());
    List<List<Object>> rows = rows("http_requests_total");
    assertEquals(3, rows.size());
    assertEquals(java.util.Arrays.asList(1000L, 1.0, null, "api"), rows.get(0));
    assertEquals(java.util.Arrays.asList(3000L, 5.0, "500", "api"), rows.get(2));
    assertEquals(List.of("ts", "value", "instance", "label_value"),
        storage.table(new TableId("metrics", "up")).orElseThrow().schema().names());
  }

  @Test
  void staleMarkersAreStoredBitForBit() throws Exception {
    long stale = 0x7ff0000000000002L;
    Types.TimeSeries ts = Types.TimeSeries.newBuilder()
        .addLabels(Types.Label.newBuilder().setName("__name__").setValue("g"))
        .addSamples(Types.Sample.newBuilder().setTimestamp(1).setValue(Double.longBitsToDouble(stale)))
        .build();
    assertEquals(204, postV1(ts).statusCode());
    LumaTable t = storage.table(new TableId("metrics", "g")).orElseThrow();
    try (TableSnapshot s = t.snapshot()) {
      assertEquals(stale, Double.doubleToRawLongBits(s.parts().get(0).columns().get(1).getDouble(0)));
    }
  }

  @Test
  void invalidRequestsAre400AndWriteNothing() throws Exception {
    Types.TimeSeries good = series("__name__", "ok_metric", "|", "1", "1");
    for (Types.TimeSeries bad : List.of(
        series("job", "x", "__name__", "m", "|", "1", "1"),          // unsorted
        series("__name__", "m", "job", "a", "job", "b", "|", "1", "1"),  // duplicate
        series("__name__", "m", "", "a", "|", "1", "1"),              // empty name
        series("__name__", "m", "job", "", "|", "1", "1"),            // empty value
        series("job", "a", "|", "1", "1"),                            // no __name__
        series("__name__", "bad-name", "|", "1", "1"),
        series("__name__", "m", "bad-label", "a", "|", "1", "1"))) {
      HttpResponse<String> r = postV1(good, bad);
      assertEquals(400, r.statusCode(), r.body());
    }
    assertEquals(0, rows("ok_metric").size(), "the valid series of a rejected request is not written");
    HttpResponse<String> r = post("not snappy".getBytes(), V1, "snappy");
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("snappy"), r.body());
    r = post(Snappy.compress(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}), V1, "snappy");
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("malformed protobuf"), r.body());
    Types.TimeSeries withHistogram = good.toBuilder().addHistograms(Types.Histogram.newBuilder().setSum(1)).build();
    r = postV1(withHistogram);
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("native histograms"), r.body());
    assertEquals(0, rows("ok_metric").size());
  }

  @Test
  void wrongMediaTypesAre415() throws Exception {
    byte[] body = Snappy.compress(Remote.WriteRequest.newBuilder()
        .addTimeseries(series("__name__", "m", "|", "1", "1")).build().toByteArray());
    assertEquals(415, post(body, "application/json", "snappy").statusCode());
    assertEquals(415, post(body, V1, "gzip").statusCode());
    assertEquals(415, post(body, V1, null).statusCode());
    assertEquals(415, post(body, "application/x-protobuf;proto=foo.Bar", "snappy").statusCode());
    assertEquals(0, rows("m").size());
  }

  @Test
  void oversizedBodiesAre413() throws Exception {
    byte[] random = new byte[200 * 1024];
    new java.util.Random(1).nextBytes(random);
    assertEquals(413, post(random, V1, "snappy").statusCode());
    // Small compressed, too large decompressed.
    Remote.WriteRequest.Builder big = Remote.WriteRequest.newBuilder();
    for (int i = 0; i < 20_000; i++) {
      big.addTimeseries(series("__name__", "m", "|", String.valueOf(i), "1"));
    }
    byte[] compressed = Snappy.compress(big.build().toByteArray());
    assertTrue(compressed.length < 128 * 1024, "compressed " + compressed.length);
    HttpResponse<String> r = post(compressed, V1, "snappy");
    assertEquals(413, r.statusCode(), r.body());
    assertEquals(0, rows("m").size());
  }

  static byte[] v2(List<Integer> refs) {
    var req = io.lumadb.proto.prometheus.v2.Types.Request.newBuilder()
        .addAllSymbols(List.of("", "__name__", "cpu_seconds", "mode", "idle", "job", "node"))
        .addTimeseries(io.lumadb.proto.prometheus.v2.Types.TimeSeries.newBuilder()
            .addAllLabelsRefs(refs)
            .addSamples(io.lumadb.proto.prometheus.v2.Types.Sample.newBuilder().setTimestamp(10).setValue(1.5))
            .addSamples(io.lumadb.proto.prometheus.v2.Types.Sample.newBuilder().setTimestamp(20).setValue(2.5)));
    try {
      return Snappy.compress(req.build().toByteArray());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void remoteWrite2UsesTheSymbolTableAndAnswersWrittenCounts() throws Exception {
    // __name__=cpu_seconds, job=node, mode=idle (sorted by name).
    HttpResponse<String> r = post(v2(List.of(1, 2, 5, 6, 3, 4)), V2, "snappy");
    assertEquals(204, r.statusCode(), r.body());
    assertEquals("2", r.headers().firstValue("X-Prometheus-Remote-Write-Samples-Written").orElse(""));
    assertEquals(2, rows("cpu_seconds").size());
    assertEquals(List.of("ts", "value", "job", "mode"),
        storage.table(new TableId("metrics", "cpu_seconds")).orElseThrow().schema().names());
    // mode before job: not sorted.
    assertEquals(400, post(v2(List.of(1, 2, 3, 4, 5, 6)), V2, "snappy").statusCode());
    // A reference outside the symbols table, and an odd number of references.
    assertEquals(400, post(v2(List.of(1, 99)), V2, "snappy").statusCode());
    assertEquals(400, post(v2(List.of(1, 2, 5)), V2, "snappy").statusCode());
    assertEquals(2, rows("cpu_seconds").size());
  }

  /**
   * A remote write 2.0 body: cpu_seconds_total{job="node", mode=m} with two samples, counter
   * metadata (help {@code help}, unit "seconds"), a created timestamp, and two exemplars (one
   * with trace and span ids, one without a timestamp).
   */
  static byte[] v2Full(String help, String mode, List<Integer> exemplarRefs) throws Exception {
    var V = io.lumadb.proto.prometheus.v2.Types.class;
    List<String> symbols = List.of("", "__name__", "cpu_seconds_total", "job", "node", "mode", mode,
        help, "seconds", "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "span_id", "00f067aa0ba902b7", "host", "h1");
    var ts = io.lumadb.proto.prometheus.v2.Types.TimeSeries.newBuilder()
        .addAllLabelsRefs(List.of(1, 2, 3, 4, 5, 6))
        .addSamples(io.lumadb.proto.prometheus.v2.Types.Sample.newBuilder().setTimestamp(10_000).setValue(1.5))
        .addSamples(io.lumadb.proto.prometheus.v2.Types.Sample.newBuilder().setTimestamp(20_000).setValue(2.5))
        .setCreatedTimestamp(5_000)
        .setMetadata(io.lumadb.proto.prometheus.v2.Types.Metadata.newBuilder()
            .setType(io.lumadb.proto.prometheus.v2.Types.Metadata.MetricType.METRIC_TYPE_COUNTER)
            .setHelpRef(7).setUnitRef(8))
        .addExemplars(io.lumadb.proto.prometheus.v2.Types.Exemplar.newBuilder()
            .addAllLabelsRefs(exemplarRefs).setValue(1.25).setTimestamp(19_000))
        .addExemplars(io.lumadb.proto.prometheus.v2.Types.Exemplar.newBuilder()
            .addAllLabelsRefs(List.of(13, 14)).setValue(0.5));
    return Snappy.compress(io.lumadb.proto.prometheus.v2.Types.Request.newBuilder().addAllSymbols(symbols)
        .addTimeseries(ts).build().toByteArray());
  }

  static final List<Integer> TRACE_AND_SPAN = List.of(9, 10, 11, 12);

  @Test
  void remoteWrite2StoresMetadataExemplarsAndCreatedTimestamps() throws Exception {
    HttpResponse<String> r = post(v2Full("Seconds spent.", "idle", TRACE_AND_SPAN), V2, "snappy");
    assertEquals(204, r.statusCode(), r.body());
    assertEquals("2", r.headers().firstValue("X-Prometheus-Remote-Write-Samples-Written").orElse(""));
    assertEquals("2", r.headers().firstValue("X-Prometheus-Remote-Write-Exemplars-Written").orElse(""));
    // created timestamp: a column of the metric's table, on each sample of the series
    assertEquals(List.of("ts", "value", "job", "mode", "created_timestamp"),
        storage.table(new TableId("metrics", "cpu_seconds_total")).orElseThrow().schema().names());
    assertEquals(List.of(List.of(10_000L, 1.5, "node", "idle", 5_000L), List.of(20_000L, 2.5, "node", "idle", 5_000L)),
        rows("cpu_seconds_total"));
    // metadata: one row per change
    List<List<Object>> meta = rows("metadata");
    assertEquals(1, meta.size(), meta.toString());
    assertEquals(List.of("cpu_seconds_total", "counter", "Seconds spent.", "seconds"), meta.get(0).subList(0, 4));
    // exemplars: the series labels and the exemplar's own, trace and span ids copied out
    List<List<Object>> ex = rows("exemplars");
    assertEquals(2, ex.size());
    assertEquals(List.of(19_000L, "cpu_seconds_total", "{\"job\":\"node\",\"mode\":\"idle\"}",
        "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
        "{\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"span_id\":\"00f067aa0ba902b7\"}", 1.25), ex.get(0));
    assertEquals("{\"host\":\"h1\"}", ex.get(1).get(5));
    assertEquals(null, ex.get(1).get(3));
    assertTrue((Long) ex.get(1).get(0) > 1_700_000_000_000L, "no timestamp: the time it was received");

    // The same metadata again writes no row; new help text does.
    assertEquals(204, post(v2Full("Seconds spent.", "user", TRACE_AND_SPAN), V2, "snappy").statusCode());
    assertEquals(1, rows("metadata").size());
    assertEquals(204, post(v2Full("CPU seconds.", "user", TRACE_AND_SPAN), V2, "snappy").statusCode());
    assertEquals(2, rows("metadata").size());
    assertEquals(6, rows("exemplars").size());

    // A reopened engine reads the last metadata back instead of writing it again.
    server.close();
    storage.close();
    start();
    assertEquals(204, post(v2Full("CPU seconds.", "user", TRACE_AND_SPAN), V2, "snappy").statusCode());
    assertEquals(2, rows("metadata").size());
    assertEquals(8, rows("exemplars").size());
    assertEquals(8, rows("cpu_seconds_total").size());
  }

  @Test
  void badExemplarsRejectTheWholeRequest() throws Exception {
    // a reference outside the symbols table, and an odd number of references
    for (List<Integer> refs : List.of(List.of(9, 99), List.of(9, 10, 11))) {
      HttpResponse<String> r = post(v2Full("h", "idle", refs), V2, "snappy");
      assertEquals(400, r.statusCode(), r.body());
      assertTrue(r.body().contains("exemplar labels_refs"), r.body());
    }
    assertEquals(0, rows("cpu_seconds_total").size());
    assertEquals(0, rows("exemplars").size());
    assertEquals(0, rows("metadata").size());
    // a metric may not take the name of the metadata or exemplar table
    HttpResponse<String> r = postV1(series("__name__", "exemplars", "|", "1000", "1"));
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().contains("reserved"), r.body());
  }

  @Test
  void overloadIs503WithRetryAfter() throws Exception {
    server.close();
    storage.close();
    storage = StorageEngine.open(dir.resolve("small"), StorageConfig.DEFAULTS.withHotMaxBytes(1));
    server = new RemoteWriteServer(new RemoteWriteServer.Config("127.0.0.1", 0, 128 * 1024, 256 * 1024),
        new MetricsStorage(storage), new PrometheusRegistry());
    port = server.start();
    assertEquals(204, postV1(series("__name__", "m", "|", "1", "1")).statusCode());
    HttpResponse<String> r = postV1(series("__name__", "m", "|", "2", "1"));
    assertEquals(503, r.statusCode(), r.body());
    assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
    assertTrue(r.body().startsWith("E002"), r.body());
  }

  @Test
  void wrongPathAndMethod() throws Exception {
    assertEquals(404, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/nope")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode());
    assertEquals(405, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/write")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode());
  }
}

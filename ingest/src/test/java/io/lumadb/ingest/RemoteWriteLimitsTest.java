package io.lumadb.ingest;

import static io.lumadb.ingest.RemoteWriteServerTest.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.proto.prometheus.Remote;
import io.lumadb.proto.prometheus.Types;
import io.lumadb.storage.LumaTable;
import io.lumadb.storage.MetricsStorage;
import io.lumadb.storage.StorageConfig;
import io.lumadb.storage.StorageEngine;
import io.lumadb.storage.TableId;
import io.lumadb.storage.TableSnapshot;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/**
 * Remote write limits over real HTTP: the per-sender rate limit (429, Retry-After, E002) on a
 * clock the test moves, and the series limit per metric (400 naming the metric and the limit).
 * Refused requests write nothing.
 */
class RemoteWriteLimitsTest {
  static final long SECOND = 1_000_000_000L;
  final AtomicLong clock = new AtomicLong(5 * SECOND);
  final HttpClient http = HttpClient.newHttpClient();
  final PrometheusRegistry registry = new PrometheusRegistry();
  StorageEngine storage;
  RemoteWriteServer server;
  int port;

  void start(IngestLimits limits) throws Exception {
    storage = new StorageEngine(StorageConfig.DEFAULTS);
    server = new RemoteWriteServer(new RemoteWriteServer.Config("127.0.0.1", 0, 1 << 20, 4 << 20, limits),
        new MetricsStorage(storage), new SeriesTracker(clock::get), registry, clock::get);
    port = server.start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
      storage.close();
    }
  }

  HttpResponse<String> post(String tenant, Types.TimeSeries... ts) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/write"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(
            Remote.WriteRequest.newBuilder().addAllTimeseries(List.of(ts)).build().toByteArray())))
        .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy");
    if (tenant != null) {
      r.header("X-Scope-OrgID", tenant);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** One series of metric m with {@code n} samples. */
  static Types.TimeSeries samples(String host, int n) {
    List<String> args = new ArrayList<>(List.of("__name__", "m", "host", host, "|"));
    for (int i = 0; i < n; i++) {
      args.add(String.valueOf(1000 + i));
      args.add("1");
    }
    return series(args.toArray(String[]::new));
  }

  long rows(String metric) {
    LumaTable t = storage.table(new TableId("metrics", metric)).orElse(null);
    if (t == null) {
      return 0;
    }
    try (TableSnapshot s = t.snapshot()) {
      return s.rowCount();
    }
  }

  double rejected(String limit) {
    for (var s : registry.scrape().stream().toList()) {
      if (s instanceof CounterSnapshot c && c.getMetadata().getName().equals("lumadb_remote_write_rejected_requests")) {
        for (var d : c.getDataPoints()) {
          if (d.getLabels().get("limit").equals(limit)) {
            return d.getValue();
          }
        }
      }
    }
    return 0;
  }

  @Test
  void overTheRateIs429WithRetryAfterAndWritesNothingUntilTheBucketRefills() throws Exception {
    start(new IngestLimits(2, 10, "", 0));
    assertEquals(204, post(null, samples("a", 10)).statusCode());
    HttpResponse<String> r = post(null, samples("a", 6));
    assertEquals(429, r.statusCode(), r.body());
    assertEquals("3", r.headers().firstValue("Retry-After").orElse(""), "6 samples at 2/s from an empty bucket");
    assertEquals("E002: rate limit exceeded: sender 127.0.0.1 may send 2 samples per second (burst 10); "
        + "retry after 3 s", r.body().strip());
    assertEquals(10, rows("m"), "the refused request wrote nothing");
    clock.addAndGet(2 * SECOND + SECOND / 2);
    r = post(null, samples("a", 6));
    assertEquals(429, r.statusCode());
    assertEquals("1", r.headers().firstValue("Retry-After").orElse(""), "half a second left, rounded up");
    clock.addAndGet(SECOND / 2);
    assertEquals(204, post(null, samples("a", 6)).statusCode(), "after waiting as told");
    assertEquals(16, rows("m"));
    assertEquals(2, rejected("rate"));
  }

  @Test
  void theSenderHeaderGivesEachTenantItsOwnBucket() throws Exception {
    start(new IngestLimits(1, 5, "X-Scope-OrgID", 0));
    assertEquals(204, post("team-a", samples("a", 5)).statusCode());
    assertEquals(429, post("team-a", samples("a", 1)).statusCode());
    assertEquals(204, post("team-b", samples("b", 5)).statusCode());
    // Without the header the sender is the client's address, a bucket of its own.
    assertEquals(204, post(null, samples("c", 5)).statusCode());
    assertEquals(429, post(null, samples("c", 1)).statusCode());
    assertEquals(15, rows("m"));
  }

  @Test
  void newSeriesPastTheLimitAre400AndExistingSeriesAreStillAccepted() throws Exception {
    start(new IngestLimits(0, 0, "", 3));
    assertEquals(204, post(null, samples("a", 1), samples("b", 1), samples("c", 1)).statusCode());
    // One new series (d) with an old one (a): the whole request is refused.
    HttpResponse<String> r = post(null, samples("a", 2), samples("d", 1));
    assertEquals(400, r.statusCode(), r.body());
    assertEquals("metric \"m\" has reached its limit of 3 series (max series per metric): new series are "
        + "rejected, existing series are still accepted", r.body().strip());
    assertEquals(3, rows("m"), "nothing of the refused request was written");
    assertEquals(204, post(null, samples("a", 2), samples("c", 2)).statusCode());
    assertEquals(7, rows("m"));
    // Other metrics have their own count; a request adding too many at once is refused whole.
    assertEquals(400, post(null, series("__name__", "n", "k", "1", "|", "1", "1"),
        series("__name__", "n", "k", "2", "|", "1", "1"), series("__name__", "n", "k", "3", "|", "1", "1"),
        series("__name__", "n", "k", "4", "|", "1", "1")).statusCode());
    assertEquals(0, rows("n"));
    HttpResponse<String> ok = post(null, series("__name__", "n", "k", "1", "|", "1", "1"),
        series("__name__", "n", "k", "2", "|", "1", "1"), series("__name__", "n", "k", "3", "|", "1", "1"));
    assertEquals(204, ok.statusCode(), ok.body());
    assertEquals(2, rejected("series"));
  }

  @Test
  void theDefaultConfigLimitsSeriesTo100kAndNotTheRate() {
    assertEquals(IngestLimits.DEFAULTS, new RemoteWriteServer.Config("h", 1, 2, 3).limits());
    assertEquals(100_000, IngestLimits.DEFAULTS.maxSeriesPerMetric());
    assertTrue(!IngestLimits.DEFAULTS.rateLimited());
  }
}

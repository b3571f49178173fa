package io.lumadb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Prometheus server (agent mode, Debian's package) scrapes the real node exporter
 * and itself and remote-writes to LumaDB; SQL over pgwire then finds the same series, and at
 * least every sample Prometheus reports as sent (each exactly once).
 */
class PrometheusRemoteWriteTest {
  @TempDir
  Path dir;

  static Process start(Path log, String... cmd) throws IOException {
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  static String get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  static double metric(String text, String name) {
    double sum = 0;
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(text);
    while (m.find()) {
      sum += Double.parseDouble(m.group(2));
    }
    return sum;
  }

  static long scalar(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  @Test
  void prometheusAgentRemoteWritesScrapedSeries() throws Exception {
    int nodePort = ChildServer.freePort();
    int promPort = ChildServer.freePort();
    List<Process> procs = new ArrayList<>();
    try (LumaServer luma = TestServers.start(dir.resolve("luma"))) {
      Path cfg = dir.resolve("prometheus.yml");
      Files.writeString(cfg, """
          global:
            scrape_interval: 1s
          scrape_configs:
            - job_name: node
              static_configs: [{targets: ['127.0.0.1:%d']}]
            - job_name: prometheus
              static_configs: [{targets: ['127.0.0.1:%d']}]
          remote_write:
            - url: http://127.0.0.1:%d/api/v1/write
              queue_config: {batch_send_deadline: 1s, max_samples_per_send: 2000}
          """.formatted(nodePort, promPort, luma.remoteWritePort()));
      procs.add(start(dir.resolve("node.log"), "prometheus-node-exporter",
          "--web.listen-address=127.0.0.1:" + nodePort));
      procs.add(start(dir.resolve("prom.log"), "prometheus", "--enable-feature=agent",
          "--config.file=" + cfg, "--web.listen-address=127.0.0.1:" + promPort,
          "--storage.agent.path=" + dir.resolve("agent"), "--storage.remote.flush-deadline=5s"));

      try (Connection c = DriverManager.getConnection(
              "jdbc:postgresql://127.0.0.1:" + luma.pgPort() + "/default", "lumadb", "lumadb");
          Statement st = c.createStatement()) {
        // Wait until both targets have been scraped a few times and written.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Set<String> jobs = new HashSet<>();
        long upRows = 0;
        while (System.nanoTime() < deadline && (jobs.size() < 2 || upRows < 6)) {
          Thread.sleep(1000);
          if (luma.storage().table(new io.lumadb.storage.TableId("metrics", "up")).isEmpty()) {
            continue;
          }
          jobs.clear();
          try (ResultSet rs = st.executeQuery("SELECT DISTINCT job FROM metrics.up")) {
            while (rs.next()) {
              jobs.add(rs.getString(1));
            }
          }
          upRows = scalar(st, "SELECT count(*) FROM metrics.up");
        }
        assertEquals(Set.of("node", "prometheus"), jobs, "log: " + Files.readString(dir.resolve("prom.log")));
        assertEquals(1, scalar(st, "SELECT min(value) FROM metrics.up"), "both targets are up");
        // The search path is public, metrics, otel: an unqualified name finds the metric.
        assertTrue(scalar(st, "SELECT count(*) FROM up WHERE job = 'node'") > 0);

        // Prometheus counts a batch as sent when it starts sending it; LumaDB answers only once
        // the batch is stored. So every sample counted now is stored once in-flight batches end.
        String self = get("http://127.0.0.1:" + promPort + "/metrics");
        double sent = metric(self, "prometheus_remote_storage_samples_total");
        assertEquals(0, metric(self, "prometheus_remote_storage_samples_failed_total"));
        assertEquals(0, metric(self, "prometheus_remote_storage_samples_dropped_total"));
        assertEquals(0, metric(self, "prometheus_remote_storage_samples_retried_total"));
        assertTrue(sent > 100, "sent " + sent);
        long stored = 0;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
          stored = 0;
          for (var t : luma.storage().tables("metrics")) {
            stored += t.rowCount();
          }
          if (stored >= sent) {
            break;
          }
          Thread.sleep(200);
        }
        assertTrue(stored >= sent, "stored " + stored + " >= sent " + sent);

        // Node exporter series with their labels as columns, each sample once.
        assertTrue(scalar(st, "SELECT count(DISTINCT mode) FROM metrics.node_cpu_seconds_total") >= 3);
        long total = scalar(st, "SELECT count(*) FROM metrics.up");
        long distinct = scalar(st, "SELECT count(*) FROM (SELECT DISTINCT job, instance, ts FROM metrics.up) AS d");
        assertEquals(total, distinct, "no sample stored twice");
        long series = scalar(st, "SELECT count(*) FROM (SELECT DISTINCT cpu, mode FROM metrics.node_cpu_seconds_total) AS s");
        assertTrue(series >= 3, "series " + series);
      }
    } finally {
      for (Process p : procs) {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }
}

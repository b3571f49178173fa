package io.lumadb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.proto.prometheus.v2.Types;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/**
 * Remote write 2.0 metadata, exemplars and created timestamps are durable when the sender gets
 * its 204: a server killed with kill -9 right after has them, and SQL over pgwire reads them.
 */
class RemoteWrite2KillNineTest {
  @TempDir
  Path dir;

  static byte[] request() throws Exception {
    List<String> symbols = List.of("", "__name__", "http_requests_total", "code", "200", "job", "api",
        "Requests served.", "trace_id", "0af7651916cd43dd8448eb211c80319c", "span_id", "b7ad6b7169203331");
    Types.TimeSeries ts = Types.TimeSeries.newBuilder()
        .addAllLabelsRefs(List.of(1, 2, 3, 4, 5, 6))
        .addSamples(Types.Sample.newBuilder().setTimestamp(1_700_000_010_000L).setValue(7))
        .addSamples(Types.Sample.newBuilder().setTimestamp(1_700_000_020_000L).setValue(9))
        .setCreatedTimestamp(1_700_000_000_000L)
        .setMetadata(Types.Metadata.newBuilder().setType(Types.Metadata.MetricType.METRIC_TYPE_COUNTER)
            .setHelpRef(7))
        .addExemplars(Types.Exemplar.newBuilder().addAllLabelsRefs(List.of(8, 9, 10, 11)).setValue(0.042)
            .setTimestamp(1_700_000_019_500L))
        .build();
    return Snappy.compress(Types.Request.newBuilder().addAllSymbols(symbols).addTimeseries(ts).build().toByteArray());
  }

  @Test
  void metadataExemplarsAndCreatedTimestampsSurviveKillNine() throws Exception {
    int port = ChildServer.freePort();
    String toml = "[prometheus]\nenabled = true\nhost = \"127.0.0.1\"\nport = " + port + "\n";
    try (ChildServer s = ChildServer.start(dir, toml)) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/write"))
              .header("Content-Type", "application/x-protobuf;proto=io.prometheus.write.v2.Request")
              .header("Content-Encoding", "snappy")
              .header("X-Prometheus-Remote-Write-Version", "2.0.0")
              .POST(HttpRequest.BodyPublishers.ofByteArray(request())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(204, r.statusCode(), r.body());
      assertEquals("1", r.headers().firstValue("X-Prometheus-Remote-Write-Exemplars-Written").orElse(""));
      s.kill(); // right after the 204: only the WAL has the rows
    }
    int port2 = ChildServer.freePort();
    String toml2 = "[prometheus]\nenabled = true\nhost = \"127.0.0.1\"\nport = " + port2 + "\n";
    try (ChildServer s = ChildServer.start(dir, toml2);
        Connection c = CrashRecoveryTest.connect(s); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery(
          "SELECT metric, type, help, unit FROM metrics.metadata")) {
        assertTrue(rs.next());
        assertEquals(List.of("http_requests_total", "counter", "Requests served.", ""),
            List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
        assertFalse(rs.next());
      }
      try (ResultSet rs = st.executeQuery("SELECT metric, trace_id, span_id, \"value\", "
          + "JSON_VALUE(series_labels, 'lax $.job'), ts FROM metrics.exemplars")) {
        assertTrue(rs.next());
        assertEquals("http_requests_total", rs.getString(1));
        assertEquals("0af7651916cd43dd8448eb211c80319c", rs.getString(2));
        assertEquals("b7ad6b7169203331", rs.getString(3));
        assertEquals(0.042, rs.getDouble(4));
        assertEquals("api", rs.getString(5));
        assertEquals(1_700_000_019_500L, rs.getTimestamp(6).getTime());
        assertFalse(rs.next());
      }
      try (ResultSet rs = st.executeQuery(
          "SELECT count(*), min(created_timestamp), max(created_timestamp) FROM http_requests_total")) {
        assertTrue(rs.next());
        assertEquals(2, rs.getLong(1));
        assertEquals(1_700_000_000_000L, rs.getTimestamp(2).getTime());
        assertEquals(1_700_000_000_000L, rs.getTimestamp(3).getTime());
      }
    }
  }
}

package io.lumadb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lumadb.server.config.ConfigLoader;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** enabled = false means the endpoint is not started at all. */
class DisabledEndpointsTest {
  private static final java.util.Set<Integer> TAKEN = new java.util.HashSet<>();

  /**
   * A free port below the kernel's ephemeral range (32768 and up on Linux), so that no server
   * binding port 0 meanwhile (this test's own remote write receiver, for one) can be handed it:
   * a port from ServerSocket(0) once came back as another listener's and failed the test.
   */
  static int quietPort() throws IOException {
    java.util.SplittableRandom r = new java.util.SplittableRandom();
    for (int tries = 0; tries < 1000; tries++) {
      int p = r.nextInt(20_000, 32_000);
      if (TAKEN.contains(p)) {
        continue;
      }
      try (java.net.ServerSocket s = new java.net.ServerSocket()) {
        s.bind(new java.net.InetSocketAddress("127.0.0.1", p));
        TAKEN.add(p);
        return p;
      } catch (IOException busy) {
        // try another
      }
    }
    throw new IOException("no free port in 20000-32000");
  }

  @Test
  void disabledEndpointsDoNotListen(@TempDir Path dir) throws Exception {
    int pgPort = quietPort();
    int metricsPort = quietPort();
    int grpcPort = quietPort();
    int otlpHttpPort = quietPort();
    int queryGrpcPort = quietPort();
    int avaticaPort = quietPort();
    try (LumaServer server = new LumaServer(ConfigLoader.parse("""
        [general]
        data_dir = "%s"
        [server]
        port = 0
        [metrics]
        enabled = false
        port = %d
        [postgres]
        enabled = false
        port = %d
        [prometheus]
        port = 0
        [otlp]
        enabled = false
        grpc_port = %d
        http_port = %d
        [grpc]
        enabled = false
        port = %d
        [avatica]
        enabled = false
        port = %d
        """.formatted(dir.toString(), metricsPort, pgPort, grpcPort, otlpHttpPort, queryGrpcPort,
            avaticaPort), "t"))) {
      server.start();
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.healthPort() + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertEquals("OK", r.body());
      assertThrows(IOException.class, () -> new Socket("127.0.0.1", pgPort).close());
      assertThrows(IOException.class, () -> new Socket("127.0.0.1", metricsPort).close());
      assertThrows(IOException.class, () -> new Socket("127.0.0.1", grpcPort).close());
      assertThrows(IOException.class, () -> new Socket("127.0.0.1", otlpHttpPort).close());
      assertThrows(IOException.class, () -> new Socket("127.0.0.1", queryGrpcPort).close());
      assertThrows(IOException.class, () -> new Socket("127.0.0.1", avaticaPort).close());
      assertEquals(-1, server.grpcPort());
      assertEquals(-1, server.avaticaPort());
      assertEquals(-1, server.otlpGrpcPort());
    }
  }
}

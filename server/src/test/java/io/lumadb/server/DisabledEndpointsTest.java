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
  @Test
  void disabledEndpointsDoNotListen(@TempDir Path dir) throws Exception {
    int pgPort = ChildServer.freePort();
    int metricsPort = ChildServer.freePort();
    int grpcPort = ChildServer.freePort();
    int otlpHttpPort = ChildServer.freePort();
    int queryGrpcPort = ChildServer.freePort();
    int avaticaPort = ChildServer.freePort();
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

package io.lumadb.server;

import io.lumadb.server.config.ConfigLoader;
import io.lumadb.server.config.LumaConfig;
import java.nio.file.Path;

/** Starts servers for tests on free ports (port 0) in a given data directory. */
final class TestServers {
  private TestServers() {}

  static LumaConfig config(Path dataDir, String extraToml) {
    return config(dataDir, "", extraToml);
  }

  /**
   * The test configuration: every port 0, {@code postgresExtra} lines inside {@code [postgres]}
   * and then {@code extraToml} (whole sections).
   */
  static LumaConfig config(Path dataDir, String postgresExtra, String extraToml) {
    return ConfigLoader.parse("""
        [general]
        data_dir = "%s"
        log_level = "warn"
        [server]
        port = 0
        [metrics]
        port = 0
        [prometheus]
        port = 0
        [otlp]
        grpc_port = 0
        http_port = 0
        [grpc]
        port = 0
        [avatica]
        port = 0
        [postgres]
        port = 0
        %s
        """.formatted(dataDir.toString().replace("\\", "\\\\"), postgresExtra) + extraToml, "test");
  }

  static LumaServer start(Path dataDir) throws Exception {
    LumaServer s = new LumaServer(config(dataDir, ""));
    s.start();
    return s;
  }
}

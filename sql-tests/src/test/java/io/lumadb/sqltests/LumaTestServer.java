package io.lumadb.sqltests;

import io.lumadb.server.LumaServer;
import io.lumadb.server.config.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A LumaDB started in this JVM on free ports (port 0) with a temporary data directory. */
public final class LumaTestServer implements AutoCloseable {
  public static final String USER = "lumadb";
  public static final String PASSWORD = "lumadb";
  public static final String DATABASE = "default";

  private final Path dataDir;
  private final LumaServer server;

  private LumaTestServer(Path dataDir, LumaServer server) {
    this.dataDir = dataDir;
    this.server = server;
  }

  public static LumaTestServer start() throws Exception {
    Path dir = Files.createTempDirectory("lumadb-sql-tests");
    LumaServer s = new LumaServer(ConfigLoader.parse("""
        [general]
        data_dir = "%s"
        log_level = "warn"
        [server]
        port = 0
        [metrics]
        port = 0
        [postgres]
        port = 0
        [prometheus]
        port = 0
        [otlp]
        enabled = false
        [grpc]
        port = 0
        [avatica]
        port = 0
        """.formatted(dir.toString().replace("\\", "\\\\")), "sql-tests"));
    try {
      s.start();
    } catch (Exception | Error e) {
      deleteTree(dir);
      throw e;
    }
    return new LumaTestServer(dir, s);
  }

  public int pgPort() {
    return server.pgPort();
  }

  /** A new pgjdbc front end to this server. */
  public JdbcFrontEnd pgwire() {
    return JdbcFrontEnd.pgwire(pgPort(), DATABASE, USER, PASSWORD);
  }

  /** A new Avatica JDBC (remote driver, protobuf) front end to this server. */
  public JdbcFrontEnd avatica() {
    return JdbcFrontEnd.avatica(server.avaticaPort(), USER, PASSWORD);
  }

  /** A new gRPC QueryService front end to this server. */
  public GrpcFrontEnd grpc() {
    return new GrpcFrontEnd(server.grpcPort(), USER, PASSWORD);
  }

  @Override
  public void close() {
    server.close();
    deleteTree(dataDir);
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.lumadb.sqltests;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL 15 (Debian's server package) in a temporary directory on a free loopback port,
 * for baselines. As root, the server binaries run as user {@code postgres} through {@code runuser}
 * (PostgreSQL refuses to run as root); otherwise as the current user. Like LumaDB it has a login
 * {@code lumadb}/{@code lumadb} and a database {@code default}, so session functions
 * ({@code current_user}, {@code current_database()}) and psql's prompts agree.
 */
public final class PostgresTestServer implements AutoCloseable {
  public static final Path BIN = Path.of(System.getProperty("slt.pgbin", "/usr/lib/postgresql/15/bin"));

  private final Path dir;
  private final int port;

  private PostgresTestServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  public static boolean available() {
    return Files.isExecutable(BIN.resolve("initdb")) && Files.isExecutable(BIN.resolve("pg_ctl"));
  }

  public static PostgresTestServer start() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("lumadb-pg-baseline");
    PostgresTestServer pg = null;
    try {
      if (isRoot()) {
        run(List.of("chown", "postgres", dir.toString()));
      }
      Path data = dir.resolve("data");
      asServerUser(List.of(BIN.resolve("initdb").toString(), "-D", data.toString(),
          "--auth=trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"));
      int port = freePort();
      pg = new PostgresTestServer(dir, port);
      asServerUser(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-w",
          "-l", dir.resolve("server.log").toString(), "-o",
          "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port
          + "/postgres", "postgres", ""); Statement st = c.createStatement()) {
        st.execute("CREATE ROLE lumadb LOGIN PASSWORD 'lumadb'");
        st.execute("CREATE DATABASE \"default\" OWNER lumadb");
      } catch (SQLException e) {
        throw new IOException("cannot prepare PostgreSQL: " + e.getMessage(), e);
      }
      return pg;
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (pg != null) {
        pg.close();
      } else {
        LumaTestServer.deleteTree(dir);
      }
      throw e;
    }
  }

  public int port() {
    return port;
  }

  /** pgjdbc to database {@code default} as {@code lumadb}, as for LumaDB. */
  public JdbcFrontEnd pgwire() {
    return JdbcFrontEnd.pgwire(port, LumaTestServer.DATABASE, LumaTestServer.USER,
        LumaTestServer.PASSWORD);
  }

  @Override
  public void close() {
    try {
      asServerUser(List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
          "-m", "immediate", "-w", "stop"));
    } catch (IOException | InterruptedException e) {
      // the directory goes anyway
    }
    LumaTestServer.deleteTree(dir);
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void asServerUser(List<String> cmd) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (isRoot()) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(cmd);
    run(full);
  }

  private static void run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(cmd + " did not finish");
    }
    if (p.exitValue() != 0) {
      throw new IOException(cmd + " failed (" + p.exitValue() + "):\n" + out);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

package io.lumadb.server.testing;

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
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL 15 (Debian's server package) in a temporary directory on a free loopback port,
 * for baselines (sql-tests) and as a federated source (server). Server tests share it with
 * sql-tests through the server's test jar. As root, the server binaries run as user {@code postgres} through {@code runuser}
 * (PostgreSQL refuses to run as root); otherwise as the current user. Like LumaDB it has a login
 * {@code lumadb}/{@code lumadb} and a database {@code default}, so session functions
 * ({@code current_user}, {@code current_database()}) and psql's prompts agree.
 */
public final class PostgresTestServer implements AutoCloseable {
  /** LumaDB's default login and database, which this server also has. */
  public static final String USER = "lumadb";
  public static final String PASSWORD = "lumadb";
  public static final String DATABASE = "default";

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

  /** Starts a server, or skips the calling test (JUnit assumption) when the binaries are missing. */
  public static PostgresTestServer startOrSkip() throws IOException, InterruptedException {
    org.junit.jupiter.api.Assumptions.assumeTrue(available(),
        "PostgreSQL 15 server binaries not found in " + BIN);
    return start();
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
      pg.restart();
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
        deleteTree(dir);
      }
      throw e;
    }
  }

  public int port() {
    return port;
  }

  /** The pgjdbc URL of database {@code default}, where {@code lumadb} owns the objects. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
  }

  /** Runs statements in database {@code default} as {@code lumadb}. */
  public void execute(String... sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
        Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    }
  }

  /** Stops the server now (fast shutdown), keeping its data directory: {@link #restart} brings it back. */
  public void stop() throws IOException, InterruptedException {
    asServerUser(List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
        "-m", "fast", "-w", "stop"));
  }

  /** Starts the server (again, after {@link #stop}) on its port. */
  public void restart() throws IOException, InterruptedException {
    asServerUser(List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w",
        "-l", dir.resolve("server.log").toString(), "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
  }

  @Override
  public void close() {
    try {
      asServerUser(List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
          "-m", "immediate", "-w", "stop"));
    } catch (IOException | InterruptedException e) {
      // the directory goes anyway
    }
    deleteTree(dir);
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary directory is no test failure
    }
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

package io.lumadb.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.sql.SqlEngine;
import io.lumadb.storage.StorageConfig;
import io.lumadb.storage.StorageEngine;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each connection runs on an event loop of its own: a long query keeps only its own connection
 * busy, CancelRequest and statement_timeout stop it, and a large result that the client reads
 * slowly is held back (backpressure) and arrives whole.
 */
class ConnectionThreadsTest {
  static StorageEngine storage;
  static PgServer server;
  static int port;
  /** 3000 rows cross-joined three times: runs for minutes unless stopped. */
  static final String SLOW = "SELECT count(*) FROM t3000 a, t3000 b, t3000 c WHERE a.x + b.x + c.x = ?";

  @BeforeAll
  static void start() throws Exception {
    storage = new StorageEngine(StorageConfig.DEFAULTS);
    SqlEngine engine = new SqlEngine(storage, new PrometheusRegistry());
    server = new PgServer(new PgConfig("127.0.0.1", 0, 6, Map.of("lumadb", "lumadb"), "password", 1 << 20),
        engine, new PrometheusRegistry());
    port = server.start();
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t20 (x INT)");
      StringBuilder sql = new StringBuilder("INSERT INTO t20 VALUES (0)");
      for (int i = 1; i < 20; i++) {
        sql.append(", (").append(i).append(')');
      }
      s.execute(sql.toString());
      s.execute("CREATE TABLE t3000 (x INT)");
      sql = new StringBuilder("INSERT INTO t3000 VALUES (0)");
      for (int i = 1; i < 3000; i++) {
        sql.append(", (").append(i).append(')');
      }
      s.execute(sql.toString());
      s.execute("CREATE TABLE t2000 (x INT, s VARCHAR)");
      sql = new StringBuilder("INSERT INTO t2000 VALUES (0, 'row')");
      for (int i = 1; i < 2000; i++) {
        sql.append(", (").append(i).append(", 'row')");
      }
      s.execute(sql.toString());
    }
  }

  @AfterAll
  static void stop() {
    server.close();
    storage.close();
  }

  static Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "lumadb");
    p.setProperty("password", "lumadb");
    p.setProperty("prepareThreshold", "1"); // named server-side statements from the first run
    // No SSLRequest: pgjdbc retries one that gets no answer in 5 s on a new connection, which
    // would hide a connection stuck behind another's query; a stuck login fails instead.
    p.setProperty("sslmode", "disable");
    p.setProperty("loginTimeout", "20");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/default", p);
  }

  @Test
  void aLongQueryStallsNoOtherConnectionAndCancelStopsIt() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection slow = connect(); PreparedStatement ps = slow.prepareStatement(SLOW)) {
      ps.setInt(1, -1);
      Future<Object> running = pool.submit(() -> {
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      });
      Thread.sleep(300); // the slow query is running now
      // Other connections are answered meanwhile. Eight in a row: with event loops handed out
      // in turn (and a machine of up to four cores), one of them would share the slow one's.
      for (int k = 0; k < 8; k++) {
        try (Connection other = connect(); PreparedStatement q = other.prepareStatement("SELECT x FROM t20 WHERE x = ?")) {
          for (int i = 0; i < 10; i++) {
            q.setInt(1, (i + k) % 20);
            try (ResultSet rs = q.executeQuery()) {
              assertTrue(rs.next());
              assertEquals((i + k) % 20, rs.getInt(1));
            }
          }
          try (Statement s = other.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            assertTrue(rs.next());
          }
        }
      }
      assertFalse(running.isDone(), "the slow query should still be running");
      ps.cancel(); // a CancelRequest on a new connection
      ExecutionException e = assertThrows(ExecutionException.class, () -> running.get(30, TimeUnit.SECONDS));
      assertEquals("57014", ((SQLException) e.getCause()).getSQLState(), e.getCause().getMessage());
      // The connection goes on, and the same prepared statement answers a cheap run.
      try (Statement s = slow.createStatement(); ResultSet rs = s.executeQuery("SELECT 2")) {
        assertTrue(rs.next());
        assertEquals(2, rs.getInt(1));
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void statementTimeoutStopsALongPreparedStatement() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      try (PreparedStatement fast = c.prepareStatement("SELECT count(*) FROM t20 a, t20 b WHERE a.x + b.x = ?")) {
        for (int i = 0; i < 5; i++) {
          fast.setInt(1, 3);
          try (ResultSet rs = fast.executeQuery()) {
            assertTrue(rs.next());
            assertEquals(4, rs.getLong(1));
          }
        }
      }
      s.execute("SET statement_timeout = 300");
      try (PreparedStatement ps = c.prepareStatement(SLOW)) {
        ps.setInt(1, -1);
        long t0 = System.nanoTime();
        SQLException e = assertThrows(SQLException.class, ps::executeQuery);
        assertEquals("57014", e.getSQLState(), e.getMessage());
        assertTrue(e.getMessage().contains("statement timeout"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(20));
      }
      s.execute("RESET statement_timeout");
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM t20")) {
        assertTrue(rs.next());
        assertEquals(20, rs.getInt(1));
      }
    }
  }

  @Test
  void aLargeResultReadSlowlyArrivesWhole() throws Exception {
    // 2000 x 200 rows of ~40 bytes: about 16 MB, far more than the socket buffers hold.
    String sql = "SELECT a.x, a.s, b.x FROM t2000 a, t2000 b WHERE b.x < 200";
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(30_000);
      s.setReceiveBufferSize(16 * 1024);
      s.getOutputStream().write(PgServerRobustnessTest.startup());
      PgServerRobustnessTest.readUntil(s, 'R');
      s.getOutputStream().write(PgServerRobustnessTest.frame('p', PgServerRobustnessTest.cstr("lumadb")));
      PgServerRobustnessTest.readUntil(s, 'Z');
      s.getOutputStream().write(PgServerRobustnessTest.frame('Q', PgServerRobustnessTest.cstr(sql)));
      Thread.sleep(1000); // the server fills the socket and has to wait
      // Meanwhile another connection is answered.
      try (Connection other = connect(); Statement st = other.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*) FROM t2000")) {
        assertTrue(rs.next());
        assertEquals(2000, rs.getInt(1));
      }
      DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
      long rows = 0;
      List<String> tail = new ArrayList<>();
      while (true) {
        char t = (char) in.readUnsignedByte();
        byte[] body = new byte[in.readInt() - 4];
        in.readFully(body);
        if (t == 'D') {
          rows++;
        } else if (t == 'C' || t == 'E') {
          tail.add(t + new String(body, StandardCharsets.UTF_8).replace("\0", ""));
        } else if (t == 'Z') {
          break;
        }
      }
      assertEquals(List.of("CSELECT 400000"), tail);
      assertEquals(400_000, rows);
    }
  }

  @Test
  void closingTheServerDoesNotWaitForAClientThatStoppedReading() throws Exception {
    StorageEngine st = new StorageEngine(StorageConfig.DEFAULTS);
    PgServer srv = new PgServer(new PgConfig("127.0.0.1", 0, 4, Map.of("lumadb", "lumadb"), "password", 1 << 20),
        new SqlEngine(st, new PrometheusRegistry()), new PrometheusRegistry());
    int p = srv.start();
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + p + "/default", "lumadb", "lumadb");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (x INT)");
      StringBuilder sql = new StringBuilder("INSERT INTO t VALUES (0)");
      for (int i = 1; i < 3000; i++) {
        sql.append(", (").append(i).append(')');
      }
      s.execute(sql.toString());
    }
    try (Socket s = new Socket("127.0.0.1", p)) {
      s.setReceiveBufferSize(16 * 1024);
      s.getOutputStream().write(PgServerRobustnessTest.startup());
      s.setSoTimeout(10_000);
      PgServerRobustnessTest.readUntil(s, 'R');
      s.getOutputStream().write(PgServerRobustnessTest.frame('p', PgServerRobustnessTest.cstr("lumadb")));
      PgServerRobustnessTest.readUntil(s, 'Z');
      // 9M rows, then nothing is read: the server's loop waits for this client.
      s.getOutputStream().write(PgServerRobustnessTest.frame('Q', PgServerRobustnessTest.cstr("SELECT a.x, b.x FROM t a, t b")));
      Thread.sleep(1000);
      org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), srv::close);
    } finally {
      st.close();
    }
  }

  @Test
  void eachConnectionGetsALoopOfItsOwn() throws Exception {
    PgServer.LeastLoadedChooser chooser = new PgServer.LeastLoadedChooser();
    io.netty.util.concurrent.EventExecutor[] loops = new io.netty.util.concurrent.EventExecutor[3];
    io.netty.util.concurrent.DefaultEventExecutorGroup group = new io.netty.util.concurrent.DefaultEventExecutorGroup(3);
    try {
      for (int i = 0; i < 3; i++) {
        loops[i] = group.next();
      }
      var c = chooser.newChooser(loops);
      var a = c.next();
      var b = c.next();
      var d = c.next();
      assertEquals(3, java.util.Set.of(a, b, d).size(), "three connections, three loops");
      chooser.release(b);
      assertEquals(b, c.next(), "a freed loop is reused first");
      assertEquals(2, chooser.load(c.next()), "then loops are shared");
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }
}

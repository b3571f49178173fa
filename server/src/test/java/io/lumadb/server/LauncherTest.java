package io.lumadb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lumadb command as a process: options, config errors, signals. */
class LauncherTest {
  @TempDir
  Path dir;

  private String runToEnd(int expectedExit, String... args) throws Exception {
    Path log = dir.resolve("out-" + System.nanoTime() + ".log");
    Process p = ChildServer.run(log, args);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "lumadb " + String.join(" ", args) + " did not finish");
    String out = Files.readString(log);
    assertEquals(expectedExit, p.exitValue(), out);
    return out;
  }

  @Test
  void helpAndVersion() throws Exception {
    String help = runToEnd(0, "--help");
    assertTrue(help.contains("--config=FILE"), help);
    assertTrue(help.contains("--data-dir=DIR"), help);
    assertTrue(runToEnd(0, "--version").startsWith("LumaDB "));
    assertTrue(runToEnd(2, "--no-such-option").contains("Unknown option"));
  }

  @Test
  void badConfigStopsStartupNamingTheKey() throws Exception {
    Path cfg = dir.resolve("bad.toml");
    Files.writeString(cfg, "[postgres]\nport = 99999\n");
    String out = runToEnd(2, "--config", cfg.toString(), "--data-dir", dir.resolve("d").toString());
    assertTrue(out.contains("postgres.port = 99999 is out of range"), out);
    Files.writeString(cfg, "[postgres]\nmax_conections = 5\n");
    out = runToEnd(2, "--config", cfg.toString());
    assertTrue(out.contains("unknown key postgres.max_conections"), out);
    out = runToEnd(2, "--config", dir.resolve("missing.toml").toString());
    assertTrue(out.contains("does not exist"), out);
  }

  @Test
  void servesSqlAndStopsGracefullyOnSigterm() throws Exception {
    try (ChildServer s = ChildServer.start(dir, "")) {
      try (Connection c = DriverManager.getConnection(
              "jdbc:postgresql://127.0.0.1:" + s.pgPort + "/default", "lumadb", "lumadb");
          Statement st = c.createStatement()) {
        st.execute("CREATE TABLE t (a INT)");
        st.execute("INSERT INTO t VALUES (1), (2)");
        try (ResultSet rs = st.executeQuery("SELECT sum(a) FROM t")) {
          assertTrue(rs.next());
          assertEquals(3, rs.getInt(1));
        }
      }
      assertTrue(Files.exists(s.dataDir), "data directory created");
      int code = s.terminate();
      assertEquals(143, code, "exit status after SIGTERM");
      String out = s.output();
      assertTrue(out.contains("shutting down") && out.contains("stopped"), out);
      assertThrows(java.io.IOException.class, () -> new Socket("127.0.0.1", s.pgPort).close());
    }
  }

  @Test
  void secondServerOnTheSameDataDirIsRefused() throws Exception {
    try (ChildServer s = ChildServer.start(dir, "")) {
      String out = runToEnd(1, "--data-dir", s.dataDir.toString(), "--config",
          dir.resolve("config.toml").toString());
      assertTrue(out.contains("is in use by another LumaDB process"), out);
      assertFalse(out.contains("ready"), out);
    }
  }
}

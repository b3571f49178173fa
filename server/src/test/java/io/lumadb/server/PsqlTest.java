package io.lumadb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real psql binary against the real server; output compared with what psql prints for PostgreSQL. */
class PsqlTest {
  @TempDir
  static Path dataDir;
  static LumaServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServers.start(dataDir);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Runs psql with a script on stdin; returns exit code and combined output. */
  static String[] psql(String password, String script) throws Exception {
    return PsqlTestSupport.run(password, script, "-h", "127.0.0.1", "-p", String.valueOf(server.pgPort()),
        "-U", "lumadb", "-d", "default", "-v", "ON_ERROR_STOP=0");
  }

  /** Runs psql/NAME.sql and compares psql's output with psql/NAME.out. */
  static void golden(String name) throws Exception {
    String script = resource("psql/" + name + ".sql");
    String[] r = psql("lumadb", script);
    assertEquals(resource("psql/" + name + ".out"), r[1], "output of psql/" + name + ".sql");
    assertEquals("0", r[0]);
  }

  static String resource(String path) throws IOException {
    try (var in = PsqlTest.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException("missing test resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void basicSession() throws Exception {
    golden("basic");
  }

  @Test
  void wrongPasswordIsRefusedWithE001() throws Exception {
    String[] r = psql("not-the-password", "SELECT 1;\n");
    assertEquals("2", r[0]);
    assertEquals(true, r[1].contains("FATAL:  E001: password authentication failed for user \"lumadb\""), r[1]);
  }
}

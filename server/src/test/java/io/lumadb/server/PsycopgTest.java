package io.lumadb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * psycopg2 and psycopg 3, Debian's packages run by Debian's python3, against a real server:
 * python/psycopg_clients.py checks connect, types both ways (text and binary, prepared), COPY,
 * errors with SQLSTATEs and E-codes, and recovery after rollback (psycopg 3's DEALLOCATE).
 */
class PsycopgTest {
  @TempDir
  Path dir;

  @Test
  void psycopg2AndPsycopg3() throws Exception {
    Path script = dir.resolve("psycopg_clients.py");
    try (var in = PsycopgTest.class.getResourceAsStream("/python/psycopg_clients.py")) {
      Files.write(script, in.readAllBytes());
    }
    try (LumaServer s = TestServers.start(dir.resolve("data"))) {
      // Debian's interpreter: the python3-psycopg2 / python3-psycopg packages live in its path
      Process p = new ProcessBuilder(List.of("/usr/bin/python3", script.toString(), String.valueOf(s.pgPort())))
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python did not finish");
      assertEquals(0, p.exitValue(), out);
      assertTrue(out.matches("(?s).*ok: \\d+ checks\\s*"), out);
    }
  }
}

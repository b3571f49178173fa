package io.lumadb.server;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real psql binary with a script on standard input. */
final class PsqlTestSupport {
  private PsqlTestSupport() {}

  /** Returns {exit code, combined output}. */
  static String[] psql(int port, String script) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(List.of("psql", "-X", "-q", "-h", "127.0.0.1", "-p",
        String.valueOf(port), "-U", "lumadb", "-d", "default")).redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", "lumadb");
    Process p = pb.start();
    p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("psql did not finish");
    }
    return new String[] {String.valueOf(p.exitValue()), out};
  }
}

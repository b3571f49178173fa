package io.lumadb.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real psql binary with a script on standard input. */
final class PsqlTestSupport {
  private PsqlTestSupport() {}

  /** psql -q as lumadb on the server's pgwire port; returns {exit code, combined output}. */
  static String[] psql(int port, String script) throws Exception {
    return run("lumadb", script, "-q", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "lumadb",
        "-d", "default");
  }

  /**
   * Runs {@code psql -X <args>} with {@code script} on standard input and the password in
   * PGPASSWORD; returns {exit code, combined output}.
   */
  static String[] run(String password, String script, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("psql", "-X"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", password);
    pb.environment().put("PGCONNECT_TIMEOUT", "10");
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

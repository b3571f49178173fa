package io.lumadb.sqltests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One psql scenario: a script fed to the real {@code psql} binary on stdin. Leading comment
 * lines may set {@code -- psql-args: -A -t} (extra command-line flags) and
 * {@code -- exit-code: 3} (the expected exit status, default 0).
 */
record PsqlScript(String name, String script, List<String> args, int exitCode) {

  static PsqlScript parse(String name, String script) {
    List<String> args = new ArrayList<>();
    int exit = 0;
    for (String line : script.split("\n")) {
      if (!line.startsWith("--")) {
        break;
      }
      String l = line.substring(2).strip();
      if (l.startsWith("psql-args:")) {
        args.addAll(Arrays.asList(l.substring("psql-args:".length()).strip().split("\\s+")));
      } else if (l.startsWith("exit-code:")) {
        exit = Integer.parseInt(l.substring("exit-code:".length()).strip());
      }
    }
    return new PsqlScript(name, script, List.copyOf(args), exit);
  }

  /** Exit status and combined stdout/stderr of psql run against a server on loopback. */
  record Result(int exitCode, String output) {}

  Result run(int port, String user, String password, String database)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("psql", "-X", "-h", "127.0.0.1", "-p",
        String.valueOf(port), "-U", user, "-d", database, "-v", "ON_ERROR_STOP=0"));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    String path = env.get("PATH");
    env.clear();
    env.put("PATH", path == null ? "/usr/bin:/bin" : path);
    env.put("PGPASSWORD", password);
    env.put("PGCONNECT_TIMEOUT", "10");
    env.put("PGTZ", "UTC");
    env.put("LC_ALL", "C.UTF-8");
    Process p = pb.start();
    p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("psql did not finish " + name);
    }
    return new Result(p.exitValue(), out);
  }
}

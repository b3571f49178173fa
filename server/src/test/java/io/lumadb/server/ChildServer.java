package io.lumadb.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * LumaDB's {@code Main} in a child JVM, on fixed free ports, for tests that signal or kill the
 * server process. Output goes to a log file in the data directory's parent.
 */
final class ChildServer implements AutoCloseable {
  final Path dataDir;
  final Path log;
  final int pgPort;
  final int healthPort;
  final int metricsPort;
  final Process process;

  private ChildServer(Path dataDir, Path log, int pg, int health, int metrics, Process p) {
    this.dataDir = dataDir;
    this.log = log;
    this.pgPort = pg;
    this.healthPort = health;
    this.metricsPort = metrics;
    this.process = p;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Runs Main with the given arguments (no config written), returning the process. */
  static Process run(Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Duser.timezone=UTC", "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /**
   * Starts a server on fresh ports and waits until /health answers OK. Only pgwire, /health and
   * /metrics run: endpoints on port 0 could be given one of the ports picked here before the
   * server binds it (a port race seen in CI). {@code extraToml} may hold a {@code [prometheus]}
   * section (with a port of its own) to run remote write too.
   */
  static ChildServer start(Path dir, String extraToml) throws Exception {
    Path data = dir.resolve("data");
    int pg = freePort();
    int health = freePort();
    int metrics = freePort();
    Path config = dir.resolve("config.toml");
    Files.writeString(config, """
        [server]
        port = %d
        [metrics]
        port = %d
        [postgres]
        port = %d
        %s[otlp]
        enabled = false
        [grpc]
        enabled = false
        [avatica]
        enabled = false
        """.formatted(health, metrics, pg,
            extraToml.contains("[prometheus]") ? "" : "[prometheus]\nenabled = false\n") + extraToml);
    Path log = dir.resolve("server-" + System.nanoTime() + ".log");
    Process p = run(log, "--config", config.toString(), "--data-dir", data.toString());
    ChildServer s = new ChildServer(data, log, pg, health, metrics, p);
    s.awaitHealthy(Duration.ofSeconds(60));
    return s;
  }

  void awaitHealthy(Duration timeout) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("server exited with " + process.exitValue() + ":\n" + output());
      }
      try {
        HttpResponse<String> r = http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().equals("OK")) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("server not healthy in " + timeout + ":\n" + output());
  }

  String output() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** SIGTERM, then wait for the exit code. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("server did not stop within 60 s of SIGTERM");
    }
    return process.exitValue();
  }

  /** SIGKILL (kill -9), then wait until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}

package io.lumadb.server;

import io.lumadb.server.config.ConfigException;
import io.lumadb.server.config.ConfigLoader;
import io.lumadb.server.config.LumaConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TimeZone;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code lumadb} command. */
@Command(
    name = "lumadb",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = "LumaDB: an observability database. Prometheus remote write and OTLP in, SQL out"
        + " (PostgreSQL protocol).")
public final class Main implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE",
      description = "Configuration file (TOML). Default: ./config.toml if it exists, else built-in defaults.")
  Path config;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Data directory; overrides [general] data_dir (default ./data).")
  Path dataDir;

  @Option(names = "--scram-verifier",
      description = "Read a password from standard input, print its SCRAM-SHA-256 verifier (for"
          + " [postgres] password) and exit.")
  boolean scramVerifier;

  public static void main(String[] args) {
    io.lumadb.sql.SqlEngine.tuneLibraries(); // before Calcite or Arrow classes load
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (scramVerifier) {
      String password = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
          java.nio.charset.StandardCharsets.UTF_8)).readLine();
      if (password == null || password.isEmpty()) {
        System.err.println("lumadb: no password on standard input");
        return 2;
      }
      System.out.println(io.lumadb.pgwire.PgConfig.scramVerifier(password));
      return 0;
    }
    LumaConfig cfg;
    try {
      cfg = loadConfig();
    } catch (ConfigException e) {
      System.err.println("lumadb: " + e.getMessage());
      return 2;
    }
    // Logging is configured before the first logger is created.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", cfg.general().logLevel().toLowerCase(Locale.ROOT));
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    // TIMESTAMP is zone-less: keep JDBC's conversions from shifting values.
    TimeZone.setDefault(TimeZone.getTimeZone("UTC"));

    LumaServer server = new LumaServer(cfg);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      org.slf4j.LoggerFactory.getLogger(Main.class).info("shutting down");
      server.close();
      org.slf4j.LoggerFactory.getLogger(Main.class).info("stopped");
      stopped.countDown();
    }, "lumadb-shutdown");
    try {
      server.start();
    } catch (Exception e) {
      System.err.println("lumadb: cannot start: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(hook);
    stopped.await();
    return 0;
  }

  LumaConfig loadConfig() {
    LumaConfig cfg;
    if (config != null) {
      if (!Files.exists(config)) {
        throw new ConfigException("config file " + config + " does not exist");
      }
      cfg = ConfigLoader.load(config);
    } else if (Files.exists(Path.of("config.toml"))) {
      cfg = ConfigLoader.load(Path.of("config.toml"));
    } else {
      cfg = LumaConfig.defaults();
    }
    if (dataDir != null) {
      cfg = new LumaConfig(new LumaConfig.General(dataDir.toString(), cfg.general().logLevel()),
          cfg.server(), cfg.metrics(), cfg.postgres(), cfg.prometheus(), cfg.otlp(), cfg.grpc(), cfg.avatica(), cfg.storage(),
          cfg.federation());
    }
    return cfg;
  }

  /** Prints the version for --version. */
  public static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"LumaDB " + Version.VERSION};
    }
  }
}

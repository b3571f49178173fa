package io.lumadb.server;

import io.lumadb.ingest.IngestLimits;
import io.lumadb.ingest.SeriesTracker;
import io.lumadb.ingest.otlp.OtlpConfig;
import io.lumadb.ingest.otlp.OtlpGrpcServer;
import io.lumadb.ingest.otlp.OtlpHttpServer;
import io.lumadb.ingest.otlp.OtlpReceiver;
import io.lumadb.pgwire.PgConfig;
import io.lumadb.pgwire.PgServer;
import io.lumadb.server.config.ConfigLoader;
import io.lumadb.server.config.LumaConfig;
import io.lumadb.sql.SqlEngine;
import io.lumadb.storage.MetricsStorage;
import io.lumadb.storage.StorageConfig;
import io.lumadb.storage.StorageEngine;
import io.lumadb.storage.wal.FsyncPolicy;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running LumaDB: storage, SQL engine and every enabled endpoint. */
public final class LumaServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LumaServer.class);

  private final LumaConfig config;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private StorageEngine storage;
  private PgServer pg;
  private io.lumadb.ingest.RemoteWriteServer remoteWrite;
  private int remoteWritePort = -1;
  private int otlpGrpcPort = -1;
  private int otlpHttpPort = -1;
  private io.lumadb.server.grpc.GrpcQueryServer grpcQuery;
  private int grpcPort = -1;
  private io.lumadb.server.avatica.AvaticaServer avatica;
  private int avaticaPort = -1;
  private HttpEndpoint health;
  private HttpEndpoint metrics;
  private EventLoopGroup httpGroup;
  private FileChannel lockChannel;
  private int pgPort = -1;
  private int healthPort = -1;
  private int metricsPort = -1;
  private volatile boolean ready;

  public LumaServer(LumaConfig config) {
    this.config = config;
  }

  /** Starts everything; on failure stops what had started and rethrows. */
  public void start() throws Exception {
    try {
      lockDataDir();
      JvmMetrics.builder().register(registry);
      storage = StorageEngine.open(dataDir(), storageConfig(config.storage()));
      storage.startBackgroundTasks();
      StorageMetrics.register(registry, storage);
      toClose.add(storage);
      io.lumadb.sql.federation.Federation federation = new io.lumadb.sql.federation.Federation(
          config.federation().stream().map(f -> new io.lumadb.sql.federation.FederatedSource(f.name(),
              f.url(), f.user().isEmpty() ? null : f.user(), f.password().isEmpty() ? null : f.password(),
              f.schema())).toList());
      toClose.add(federation);
      federation.probe();
      SqlEngine engine = new SqlEngine(storage, registry, federation);
      if (config.storage().queryMemoryLimit() > 0) {
        engine.setQueryMemoryLimit(config.storage().queryMemoryLimit());
      }
      io.prometheus.metrics.core.metrics.GaugeWithCallback.builder().name("lumadb_query_memory_bytes")
          .help("Memory held by running statements' sorts and GROUP BY tables, by their accounting")
          .callback(cb -> cb.call(engine.queryMemoryInUse())).register(registry);
      httpGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

      if (config.postgres().enabled()) {
        LumaConfig.Postgres p = config.postgres();
        pg = new PgServer(new PgConfig(p.host(), p.port(), p.maxConnections(),
            Map.of(p.user(), p.password()), p.authMethod(), p.maxMessageBytes(),
            p.tls() ? new PgConfig.Tls(Path.of(p.tlsCertFile()), Path.of(p.tlsKeyFile()), p.tlsRequired()) : null,
            p.rateLimitPerUser() > 0 ? new PgConfig.RateLimit(p.rateLimitPerUser(), p.rateLimitBurst()) : null),
            engine, registry);
        toClose.add(0, pg);
        pgPort = pg.start();
        LOG.info("PostgreSQL protocol listening on {}:{}", p.host(), pgPort);
      }
      // Shared by remote write and OTLP: one writer of metric tables, one count of series.
      MetricsStorage metricsStorage = new MetricsStorage(storage);
      SeriesTracker series = new SeriesTracker();
      if (config.prometheus().enabled()) {
        LumaConfig.Prometheus p = config.prometheus();
        remoteWrite = new io.lumadb.ingest.RemoteWriteServer(new io.lumadb.ingest.RemoteWriteServer.Config(
            p.host(), p.port(), p.maxBodyBytes(), p.maxDecodedBytes(), new IngestLimits(p.rateLimitPerSecond(),
                p.rateLimitBurst(), p.rateLimitSenderHeader(), p.maxSeriesPerMetric())),
            metricsStorage, series, registry);
        toClose.add(0, remoteWrite);
        remoteWritePort = remoteWrite.start();
        LOG.info("Prometheus remote write at http://{}:{}{}", p.host(), remoteWritePort,
            io.lumadb.ingest.RemoteWriteServer.PATH);
      }
      if (config.otlp().enabled()) {
        LumaConfig.Otlp o = config.otlp();
        OtlpConfig oc = new OtlpConfig(true, o.host(), o.grpcPort(), o.httpPort(), o.maxBodyBytes(),
            new IngestLimits(o.rateLimitPerSecond(), o.rateLimitBurst(), o.rateLimitSenderHeader(),
                o.maxSeriesPerMetric()));
        OtlpReceiver receiver = new OtlpReceiver(storage, metricsStorage, oc.limits(), series, registry);
        OtlpGrpcServer grpc = new OtlpGrpcServer(oc, receiver);
        toClose.add(0, grpc);
        otlpGrpcPort = grpc.start();
        OtlpHttpServer http = new OtlpHttpServer(oc, receiver);
        toClose.add(0, http);
        otlpHttpPort = http.start();
        LOG.info("OTLP receivers: gRPC on {}:{}, HTTP at http://{}:{}/v1/{{metrics,logs,traces}}",
            o.host(), otlpGrpcPort, o.host(), otlpHttpPort);
      }
      if (config.grpc().enabled()) {
        LumaConfig.Grpc g = config.grpc();
        LumaConfig.Postgres p = config.postgres(); // one login for every query front end
        grpcQuery = new io.lumadb.server.grpc.GrpcQueryServer(new io.lumadb.server.grpc.GrpcQueryConfig(
            g.host(), g.port(), g.maxMessageBytes(), g.maxConcurrentQueries(), p.user(), p.password(),
            !p.authMethod().equals("trust")), engine, registry);
        toClose.add(0, grpcQuery);
        grpcPort = grpcQuery.start();
        LOG.info("gRPC QueryService listening on {}:{}", g.host(), grpcPort);
      }
      if (config.avatica().enabled()) {
        LumaConfig.Avatica a = config.avatica();
        LumaConfig.Postgres p = config.postgres();
        avatica = new io.lumadb.server.avatica.AvaticaServer(new io.lumadb.server.avatica.AvaticaConfig(
            a.host(), a.port(), p.user(), p.password(), !p.authMethod().equals("trust"), a.maxConnections(),
            ConfigLoader.duration("config", "avatica.idle_timeout", a.idleTimeout())), engine, registry);
        toClose.add(0, avatica);
        avaticaPort = avatica.start();
        LOG.info("Avatica JDBC listening on {}:{} (jdbc:avatica:remote:url=http://{}:{};serialization=protobuf)",
            a.host(), avaticaPort, a.host(), avaticaPort);
      }
      if (config.metrics().enabled()) {
        metrics = new HttpEndpoint("metrics", Map.of(config.metrics().path(), this::metricsResponse));
        toClose.add(0, metrics);
        metricsPort = metrics.start(httpGroup, config.metrics().host(), config.metrics().port());
        LOG.info("metrics at http://{}:{}{}", config.metrics().host(), metricsPort, config.metrics().path());
      }
      health = new HttpEndpoint("health", Map.of("/health", this::healthResponse));
      toClose.add(0, health);
      healthPort = health.start(httpGroup, config.server().host(), config.server().port());
      LOG.info("health at http://{}:{}/health", config.server().host(), healthPort);
      ready = true;
      LOG.info("LumaDB {} ready (data in {})", Version.VERSION, dataDir().toAbsolutePath().normalize());
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  static StorageConfig storageConfig(LumaConfig.Storage s) {
    return new StorageConfig(s.sealRows(), FsyncPolicy.parse(s.walFsync()), s.walSegmentBytes(),
        s.hotMaxBytes(), ConfigLoader.duration("config", "storage.flush_age", s.flushAge()),
        ConfigLoader.duration("config", "storage.tiering_interval", s.tieringInterval()),
        s.compactMinFiles(),
        s.defaultTtl().isEmpty() ? null : ConfigLoader.duration("config", "storage.default_ttl", s.defaultTtl()),
        s.warmCacheBytes());
  }

  /** The bound OTLP/gRPC port, or -1 when OTLP is disabled. */
  public int otlpGrpcPort() {
    return otlpGrpcPort;
  }

  /** The bound OTLP/HTTP port, or -1 when OTLP is disabled. */
  public int otlpHttpPort() {
    return otlpHttpPort;
  }

  /** The bound gRPC QueryService port, or -1 when it is disabled. */
  public int grpcPort() {
    return grpcPort;
  }

  /** The bound Avatica JDBC port, or -1 when it is disabled. */
  public int avaticaPort() {
    return avaticaPort;
  }

  /** The storage engine, for tests and embedding. */
  public StorageEngine storage() {
    return storage;
  }

  private Path dataDir() {
    return Path.of(config.general().dataDir());
  }

  /** Holds a lock on the data directory so two servers never share it. */
  private void lockDataDir() throws IOException {
    Path dir = dataDir();
    Files.createDirectories(dir);
    lockChannel = FileChannel.open(dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (IOException e) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      lockChannel = null;
      throw new IOException("data directory " + dir.toAbsolutePath().normalize()
          + " is in use by another LumaDB process");
    }
  }

  private HttpEndpoint.Response healthResponse() {
    boolean up = ready && (pg == null || pg.isListening()) && (metrics == null || metrics.isListening())
        && (remoteWrite == null || remoteWrite.isListening())
        && (grpcQuery == null || grpcQuery.isListening())
        && (avatica == null || avatica.isListening());
    return up ? HttpEndpoint.Response.text(200, "OK") : HttpEndpoint.Response.text(503, "STARTING");
  }

  private HttpEndpoint.Response metricsResponse() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(16 * 1024);
    PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    try {
      writer.write(buf, registry.scrape());
    } catch (IOException e) {
      return HttpEndpoint.Response.text(500, "cannot write metrics: " + e.getMessage());
    }
    return new HttpEndpoint.Response(200, writer.getContentType(), buf.toByteArray());
  }

  public int pgPort() {
    return pgPort;
  }

  public int remoteWritePort() {
    return remoteWritePort;
  }

  public int healthPort() {
    return healthPort;
  }

  public int metricsPort() {
    return metricsPort;
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  @Override
  public synchronized void close() {
    ready = false;
    for (AutoCloseable c : toClose) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("error while stopping {}", c, e);
      }
    }
    toClose.clear();
    if (httpGroup != null) {
      httpGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
      httpGroup = null;
    }
    if (lockChannel != null) {
      try {
        lockChannel.close();
      } catch (IOException e) {
        LOG.warn("cannot release the data directory lock", e);
      }
      lockChannel = null;
    }
  }
}

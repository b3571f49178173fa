package io.lumadb.server.avatica;

import io.lumadb.sql.SqlEngine;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.server.HttpServer;
import org.apache.calcite.avatica.server.ServerCustomizer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The Avatica JDBC endpoint: Avatica's HTTP server (Jetty) with protobuf serialization, HTTP
 * Basic authentication, and {@link LumaMeta} over the SQL engine. Clients use Calcite's remote
 * driver: {@code jdbc:avatica:remote:url=http://HOST:PORT;serialization=protobuf;authentication=BASIC}
 * with {@code avatica_user} and {@code avatica_password}.
 */
public final class AvaticaServer implements AutoCloseable {
  private final AvaticaConfig config;
  private final SqlEngine engine;
  private final PrometheusRegistry registry;
  private HttpServer server;
  private LumaMeta meta;
  private ScheduledExecutorService reaper;

  public AvaticaServer(AvaticaConfig config, SqlEngine engine, PrometheusRegistry registry) {
    this.config = config;
    this.engine = engine;
    this.registry = registry;
  }

  /** Binds {@link AvaticaConfig#host()}:{@link AvaticaConfig#port()}; returns the port. */
  public synchronized int start() {
    AvaticaMetrics metrics = new AvaticaMetrics(registry);
    meta = new LumaMeta(engine, config, metrics);
    BasicAuthProtobufHandler handler = new BasicAuthProtobufHandler(new LocalService(meta), config, metrics);
    // Avatica's builder has no host: set it on Jetty's connector before the server starts
    ServerCustomizer<Server> bindHost = jetty -> {
      for (Connector c : jetty.getConnectors()) {
        if (c instanceof ServerConnector sc) {
          sc.setHost(config.host());
        }
      }
    };
    server = new HttpServer.Builder<Server>()
        .withPort(config.port())
        .withHandler(handler)
        .withServerCustomizers(List.of(bindHost), Server.class)
        .build();
    try {
      server.start();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    reaper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lumadb-avatica-idle");
      t.setDaemon(true);
      return t;
    });
    long every = Math.max(1000, Math.min(60_000, config.idleTimeout().toMillis() / 4));
    reaper.scheduleWithFixedDelay(meta::closeIdle, every, every, TimeUnit.MILLISECONDS);
    return server.getPort();
  }

  public synchronized boolean isListening() {
    return server != null;
  }

  /** Open JDBC connections (for tests and metrics). */
  public int connections() {
    LumaMeta m = meta;
    return m == null ? 0 : m.connectionCount();
  }

  /** Stops taking requests, then closes every connection and its session. */
  @Override
  public synchronized void close() {
    if (reaper != null) {
      reaper.shutdown();
      reaper = null;
    }
    if (server != null) {
      try {
        server.stop();
      } catch (RuntimeException e) {
        // stopping is best effort; the sessions are closed below either way
      }
      server = null;
    }
    if (meta != null) {
      meta.closeAll();
    }
  }
}

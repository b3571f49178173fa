package io.lumadb.server.grpc;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.lumadb.sql.SqlEngine;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC QueryService endpoint ({@code lumadb.query.v1.QueryService}, see
 * {@code proto/src/main/proto/lumadb/query.proto}) on plaintext HTTP/2: HTTP Basic
 * authentication from metadata, one session and one query thread per call (at most
 * {@link GrpcQueryConfig#maxConcurrentQueries()}), results streamed with flow control.
 */
public final class GrpcQueryServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GrpcQueryServer.class);

  private final GrpcQueryConfig config;
  private final SqlEngine engine;
  private final PrometheusRegistry registry;
  private Server server;
  private QueryServiceHandler handler;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private ExecutorService callbacks;
  private ThreadPoolExecutor queries;
  private BufferAllocator allocator;

  public GrpcQueryServer(GrpcQueryConfig config, SqlEngine engine, PrometheusRegistry registry) {
    this.config = config;
    this.engine = engine;
    this.registry = registry;
  }

  /** Binds {@link GrpcQueryConfig#host()}:{@link GrpcQueryConfig#port()}; returns the port. */
  public synchronized int start() throws IOException {
    GrpcQueryMetrics metrics = new GrpcQueryMetrics(registry);
    allocator = new RootAllocator(Long.MAX_VALUE);
    boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    // gRPC callbacks (authentication, dispatch, flow-control signals) are short: a small pool
    callbacks = Executors.newFixedThreadPool(2, daemon("lumadb-grpc-"));
    // statements block while they compute and while the client is slow: a thread each
    queries = new ThreadPoolExecutor(0, config.maxConcurrentQueries(), 30, TimeUnit.SECONDS,
        new SynchronousQueue<>(), daemon("lumadb-grpc-query-"));
    handler = new QueryServiceHandler(engine, config, metrics, allocator, queries);
    server = NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.port()))
        .bossEventLoopGroup(boss)
        .workerEventLoopGroup(workers)
        .channelType(NioServerSocketChannel.class)
        .executor(callbacks)
        .maxInboundMessageSize(config.maxMessageBytes())
        .addService(ServerInterceptors.intercept(handler, new BasicAuthInterceptor(config, metrics)))
        .build();
    try {
      server.start();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
    return server.getPort();
  }

  public boolean isListening() {
    return server != null && !server.isShutdown();
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Stops taking calls, ends running statements (UNAVAILABLE), and frees everything. */
  @Override
  public synchronized void close() {
    if (server != null) {
      server.shutdown();
      handler.abortAll();
      try {
        if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
          server.shutdownNow();
          server.awaitTermination(2, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        server.shutdownNow();
      }
      server = null;
    }
    // shutdown(), never shutdownNow(): an interrupt would close the WAL's FileChannel under an INSERT
    for (ExecutorService e : new ExecutorService[] {queries, callbacks}) {
      if (e != null) {
        e.shutdown();
        try {
          if (!e.awaitTermination(10, TimeUnit.SECONDS)) {
            LOG.warn("gRPC query threads still running after 10 s");
          }
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
        }
      }
    }
    queries = null;
    callbacks = null;
    if (handler != null) {
      handler.closeSessions(); // no call runs any more
    }
    for (EventLoopGroup g : new EventLoopGroup[] {boss, workers}) {
      if (g != null) {
        g.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
      }
    }
    boss = null;
    workers = null;
    if (allocator != null) {
      try {
        allocator.close();
      } catch (IllegalStateException e) {
        LOG.warn("gRPC QueryService: Arrow memory still allocated at close: {}", e.getMessage());
      }
      allocator = null;
    }
  }
}

package io.lumadb.pgwire;

import io.lumadb.sql.ErrorCode;
import io.lumadb.sql.LumaException;
import io.lumadb.sql.SqlEngine;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorChooserFactory;
import io.netty.util.concurrent.ThreadPerTaskExecutor;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The PostgreSQL wire protocol endpoint. */
public final class PgServer implements AutoCloseable {
  private final PgConfig config;
  private final SqlEngine engine;
  private final PgMetrics metrics;
  private final AtomicInteger nextProcessId = new AtomicInteger(1000);
  private final Map<Integer, PgConnectionHandler> admitted = new ConcurrentHashMap<>();
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private final LeastLoadedChooser chooser = new LeastLoadedChooser();
  private Channel channel;
  private final io.netty.channel.group.ChannelGroup connections =
      new io.netty.channel.group.DefaultChannelGroup(io.netty.util.concurrent.GlobalEventExecutor.INSTANCE);

  private final Map<String, ScramAuthenticator.Verifier> verifiers = new ConcurrentHashMap<>();
  private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
  private final SslContext sslContext;

  public PgServer(PgConfig config, SqlEngine engine, PrometheusRegistry registry) {
    this.config = config;
    this.engine = engine;
    this.metrics = new PgMetrics(registry);
    this.sslContext = config.tls() == null ? null : sslContext(config.tls());
    if (config.authMethod().equals("scram-sha-256")) {
      // Derived once: PBKDF2 with 4096 rounds is meant to be slow.
      config.users().forEach((user, password) -> {
        ScramAuthenticator.Verifier v = ScramAuthenticator.Verifier.parse(password);
        verifiers.put(user, v != null ? v : ScramAuthenticator.Verifier.fromPassword(password));
      });
    }
  }

  private static SslContext sslContext(PgConfig.Tls tls) {
    try {
      return SslContextBuilder.forServer(tls.certFile().toFile(), tls.keyFile().toFile())
          .protocols("TLSv1.3", "TLSv1.2").build();
    } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot load the TLS certificate " + tls.certFile() + " and key "
          + tls.keyFile() + " (PEM; the key in PKCS#8, unencrypted): " + e.getMessage(), e);
    }
  }

  /** The SCRAM verifier of a user; for unknown users one that no password matches. */
  ScramAuthenticator.Verifier verifier(String user) {
    ScramAuthenticator.Verifier v = verifiers.get(user);
    if (v != null) {
      return v;
    }
    byte[] junk = new byte[32];
    new java.security.SecureRandom().nextBytes(junk);
    return new ScramAuthenticator.Verifier(junk, ScramAuthenticator.ITERATIONS, junk.clone(), junk.clone());
  }

  /** Binds the port and starts accepting connections; returns the port bound. */
  public int start() throws InterruptedException {
    boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    // One event loop per connection (up to max_connections + 4 open at once): a connection's
    // messages are decoded, executed and answered on its own loop's thread, with no hand-off
    // between threads, and a long query blocks only its own connection. Loop threads start
    // when first used; the chooser hands a new connection the loop with the fewest open ones.
    workers = new MultiThreadIoEventLoopGroup(Math.max(1, config.maxConnections() + 4),
        new ThreadPerTaskExecutor(new DefaultThreadFactory("lumadb-pgwire")), chooser,
        NioIoHandler.newFactory());
    ServerBootstrap b = new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 256)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            connections.add(ch);
            EventExecutor loop = ch.eventLoop();
            ch.closeFuture().addListener(f -> chooser.release(loop));
            ch.pipeline().addLast(new PgMessageDecoder(config.maxMessageBytes()));
            ch.pipeline().addLast(new PgConnectionHandler(
                PgServer.this, engine, config, nextProcessId.incrementAndGet()));
          }
        });
    channel = b.bind(config.host(), config.port()).sync().channel();
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  PgMetrics metrics() {
    return metrics;
  }

  /**
   * Checks the per-user statement rate limit; throws E002 (SQLSTATE 53400) when the user is
   * past it. A no-op without a configured limit.
   */
  void checkRate(String user) {
    PgConfig.RateLimit limit = config.rateLimit();
    if (limit == null) {
      return;
    }
    long waitNanos = limiters.computeIfAbsent(user, u -> new RateLimiter(limit.perSecond(), limit.burst()))
        .tryAcquire();
    if (waitNanos > 0) {
      metrics.rateLimited.inc();
      throw new LumaException(ErrorCode.E002, String.format(java.util.Locale.ROOT,
          "rate limit exceeded for user \"%s\": %s statements per second (burst %d); retry in %d ms",
          user, limit.perSecond(), limit.burst(), Math.max(1, waitNanos / 1_000_000)));
    }
  }

  /** A new TLS handler in STARTTLS mode (the first write, the 'S' answer, goes out in clear). */
  SslHandler newTlsHandler(io.netty.buffer.ByteBufAllocator alloc) {
    return new SslHandler(sslContext.newEngine(alloc), true);
  }

  boolean tlsEnabled() {
    return sslContext != null;
  }

  /** Counts a connection that finished startup against max_connections. */
  boolean admit(PgConnectionHandler h) {
    synchronized (admitted) {
      if (admitted.size() >= config.maxConnections()) {
        return false;
      }
      admitted.put(h.processId(), h);
      return true;
    }
  }

  void release(PgConnectionHandler h) {
    admitted.remove(h.processId(), h);
  }

  void cancel(int processId, int secretKey) {
    PgConnectionHandler h = admitted.get(processId);
    if (h != null && h.secretKey() == secretKey) {
      h.cancel();
    }
  }

  public boolean isListening() {
    return channel != null && channel.isActive();
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
    // Client connections first, so their handlers finish on live event loops; a handler busy
    // with a query runs on the loop that would close its channel, so stop its statement first.
    admitted.values().forEach(PgConnectionHandler::terminate);
    connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    if (boss != null) {
      boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
      workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /**
   * Picks the event loop with the fewest open connections (the first such loop), so that
   * every connection has a thread of its own while no more than the group's size are open:
   * a CancelRequest, which comes on a new connection, then never waits behind a long query.
   */
  static final class LeastLoadedChooser implements EventExecutorChooserFactory {
    private EventExecutor[] loops = new EventExecutor[0];
    private int[] load = new int[0];
    private final Map<EventExecutor, Integer> index = new IdentityHashMap<>();

    @Override
    public synchronized EventExecutorChooser newChooser(EventExecutor[] executors) {
      loops = executors.clone();
      load = new int[loops.length];
      for (int i = 0; i < loops.length; i++) {
        index.put(loops[i], i);
      }
      return this::next;
    }

    /** Called once per new connection (its registration), which counts it on the loop. */
    synchronized EventExecutor next() {
      int best = 0;
      for (int i = 1; i < load.length && load[best] > 0; i++) {
        if (load[i] < load[best]) {
          best = i;
        }
      }
      load[best]++;
      return loops[best];
    }

    /** A connection on this loop closed. */
    synchronized void release(EventExecutor loop) {
      Integer i = index.get(loop);
      if (i != null && load[i] > 0) {
        load[i]--;
      }
    }

    synchronized int load(EventExecutor loop) {
      Integer i = index.get(loop);
      return i == null ? 0 : load[i];
    }
  }
}

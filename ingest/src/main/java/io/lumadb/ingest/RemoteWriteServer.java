package io.lumadb.ingest;

import io.lumadb.storage.MetricsStorage;
import io.lumadb.storage.StorageException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prometheus remote write receiver: {@code POST /api/v1/write} with a snappy-compressed
 * protobuf body (1.0 or 2.0, told apart by Content-Type). Answers 204 once every sample is
 * durable; 400 for a malformed or invalid request (senders do not retry it); 413 for a body
 * over the limit; 415 for another Content-Type or Content-Encoding; 503 with Retry-After when
 * storage is overloaded (senders retry). Limits ({@link IngestLimits}): a sender over its rate
 * gets 429 with Retry-After (E002, retried); a request that would add series to a metric past
 * its series limit gets 400 naming the metric and the limit (not retried). A rejected request
 * writes nothing.
 */
public final class RemoteWriteServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteServer.class);
  public static final String PATH = "/api/v1/write";

  /**
   * @param maxBodyBytes largest compressed body accepted
   * @param maxDecodedBytes largest body after snappy decompression
   * @param limits per-sender rate limit (samples per second) and series per metric
   */
  public record Config(String host, int port, int maxBodyBytes, int maxDecodedBytes, IngestLimits limits) {
    public Config {
      limits = limits == null ? IngestLimits.DEFAULTS : limits;
    }

    /** With {@link IngestLimits#DEFAULTS}: no rate limit, 100,000 series per metric. */
    public Config(String host, int port, int maxBodyBytes, int maxDecodedBytes) {
      this(host, port, maxBodyBytes, maxDecodedBytes, IngestLimits.DEFAULTS);
    }
  }

  private final Config config;
  private final MetricsStorage metrics;
  private final MetricMetadata metadata;
  private final RemoteWriteDecoder decoder;
  private final SeriesTracker series;
  private final SenderRateLimiter rateLimiter;
  private final Counter requests;
  private final Counter samples;
  private final Counter rejected;
  private EventLoopGroup loops;
  private EventExecutorGroup workers;
  private Channel channel;
  private final io.netty.channel.group.ChannelGroup connections =
      new io.netty.channel.group.DefaultChannelGroup(io.netty.util.concurrent.GlobalEventExecutor.INSTANCE);

  public RemoteWriteServer(Config config, MetricsStorage metrics, PrometheusRegistry registry) {
    this(config, metrics, new SeriesTracker(), registry);
  }

  /** With a series tracker shared with the OTLP receiver, so a metric fed by both is counted once. */
  public RemoteWriteServer(Config config, MetricsStorage metrics, SeriesTracker series, PrometheusRegistry registry) {
    this(config, metrics, series, registry, System::nanoTime);
  }

  RemoteWriteServer(Config config, MetricsStorage metrics, SeriesTracker series, PrometheusRegistry registry,
      java.util.function.LongSupplier nanoClock) {
    this.config = config;
    this.metrics = metrics;
    this.metadata = new MetricMetadata(metrics.engine());
    this.decoder = new RemoteWriteDecoder(config.maxDecodedBytes());
    this.series = series;
    this.rateLimiter = config.limits().rateLimited() ? new SenderRateLimiter(config.limits(), nanoClock) : null;
    this.requests = Counter.builder().name("lumadb_remote_write_requests_total")
        .help("Prometheus remote write requests, by HTTP status").labelNames("status").register(registry);
    this.samples = Counter.builder().name("lumadb_remote_write_samples_total")
        .help("Samples stored from Prometheus remote write").register(registry);
    this.rejected = Counter.builder().name("lumadb_remote_write_rejected_requests_total")
        .help("Remote write requests refused by a limit: rate (per-sender rate limit, 429) or series "
            + "(series per metric, 400)").labelNames("limit").register(registry);
  }

  /** Binds and returns the port. */
  public int start() throws InterruptedException {
    loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    // Decoding and durable writes block: they run off the I/O loop.
    workers = new DefaultEventExecutorGroup(Math.max(2, Runtime.getRuntime().availableProcessors() * 2));
    ServerBootstrap b = new ServerBootstrap()
        .group(loops)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            connections.add(ch);
            ch.pipeline().addLast(new HttpServerCodec(4096, 16 * 1024, 64 * 1024));
            ch.pipeline().addLast(new HttpObjectAggregator(config.maxBodyBytes()));
            ch.pipeline().addLast(workers, new Handler());
          }
        });
    channel = b.bind(config.host(), config.port()).sync().channel();
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  public boolean isListening() {
    return channel != null && channel.isActive();
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
    connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    if (loops != null) {
      loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
      workers.shutdownGracefully(100, 2000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      FullHttpResponse resp;
      try {
        resp = handle(ctx, req);
      } catch (IngestException e) {
        resp = text(e.status(), e.getMessage());
        if (e.retryAfterSeconds() > 0) {
          resp.headers().set(HttpHeaderNames.RETRY_AFTER, e.retryAfterSeconds());
        }
      } catch (StorageException e) {
        if (e.kind() == StorageException.Kind.OVERLOADED) {
          resp = text(503, "E002: " + e.getMessage());
          resp.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        } else if (e.kind() == StorageException.Kind.INVALID) {
          resp = text(400, e.getMessage());
        } else {
          LOG.warn("remote write failed", e);
          resp = text(500, "E005: " + e.getMessage());
        }
      } catch (RuntimeException | Error e) {
        LOG.warn("remote write failed", e);
        resp = text(500, "E005: internal error: " + e);
      }
      requests.labelValues(String.valueOf(resp.status().code())).inc();
      boolean keepAlive = HttpUtil.isKeepAlive(req);
      HttpUtil.setKeepAlive(resp, keepAlive);
      var f = ctx.writeAndFlush(resp);
      if (!keepAlive) {
        f.addListener(ChannelFutureListener.CLOSE);
      }
    }

    private FullHttpResponse handle(ChannelHandlerContext ctx, FullHttpRequest req) {
      if (!req.decoderResult().isSuccess()) {
        throw new IngestException(400, "malformed HTTP request");
      }
      if (!new QueryStringDecoder(req.uri()).path().equals(PATH)) {
        throw new IngestException(404, "not found: remote write is POST " + PATH);
      }
      if (!req.method().equals(HttpMethod.POST)) {
        throw new IngestException(405, "use POST");
      }
      byte[] body = ByteBufUtil.getBytes(req.content());
      RemoteWriteDecoder.Decoded d = decoder.decode(body,
          req.headers().get(HttpHeaderNames.CONTENT_TYPE), req.headers().get(HttpHeaderNames.CONTENT_ENCODING));
      MetricsStorage.SeriesBatch batch = d.series();
      if (rateLimiter != null) {
        String header = config.limits().senderHeader();
        String sender = config.limits().sender(header.isEmpty() ? null : req.headers().get(header),
            ctx.channel().remoteAddress());
        long wait = rateLimiter.tryAcquire(sender, batch.sampleCount());
        if (wait > 0) {
          rejected.labelValues("rate").inc();
          throw rateLimiter.rejection(sender, "samples", wait);
        }
      }
      // One group: the whole request is admitted or refused (senders do not retry a 400).
      SeriesTracker.Admission admission = series.admitSeries(batch, config.limits().maxSeriesPerMetric());
      if (admission.refusedGroups() > 0) {
        rejected.labelValues("series").inc();
        throw new IngestException(400, admission.message());
      }
      // Metadata and exemplars go into the same WAL group commit as the samples.
      MetricMetadata.Changes changedMetadata;
      java.util.List<java.util.Map.Entry<io.lumadb.storage.LumaTable, io.lumadb.storage.ColumnBatch>> alongside =
          new java.util.ArrayList<>(2);
      long now = System.currentTimeMillis();
      try {
        changedMetadata = metadata.changes(d.metadata(), now);
        if (changedMetadata != null) {
          alongside.add(java.util.Map.entry(changedMetadata.table(), changedMetadata.batch()));
        }
        var exemplarRows = Exemplars.batch(metrics.engine(), d.exemplarList(), now);
        if (exemplarRows != null) {
          alongside.add(exemplarRows);
        }
        metrics.insertSeries(batch, alongside);
      } catch (RuntimeException e) {
        admission.release();
        throw e;
      }
      metadata.written(changedMetadata);
      samples.inc(batch.sampleCount());
      FullHttpResponse ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
      if (d.version() == 2) {
        ok.headers().set("X-Prometheus-Remote-Write-Samples-Written", batch.sampleCount());
        ok.headers().set("X-Prometheus-Remote-Write-Histograms-Written", d.histograms());
        ok.headers().set("X-Prometheus-Remote-Write-Exemplars-Written", d.exemplarList().size());
      }
      return ok;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // Resets by the sender and writes racing a shutdown are normal; anything else is not.
      if (!(cause instanceof java.io.IOException)
          && !(cause instanceof java.util.concurrent.RejectedExecutionException)) {
        LOG.warn("remote write connection failed", cause);
      }
      ctx.close();
    }
  }



  private static FullHttpResponse text(int status, String message) {
    byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return r;
  }
}

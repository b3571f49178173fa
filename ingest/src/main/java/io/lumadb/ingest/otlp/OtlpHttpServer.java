package io.lumadb.ingest.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.lumadb.ingest.IngestException;
import io.lumadb.ingest.RemoteWriteServer;
import io.lumadb.ingest.SeriesTracker;
import io.lumadb.storage.MetricsStorage;
import io.lumadb.storage.StorageEngine;
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
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
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
import io.netty.util.concurrent.GlobalEventExecutor;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/HTTP receiver: {@code POST /v1/metrics}, {@code /v1/logs}, {@code /v1/traces} with an
 * {@code application/x-protobuf} or {@code application/json} body, optionally
 * {@code Content-Encoding: gzip}. Answers 200 with the export response in the request's encoding
 * ({@code partial_success} filled when some points were rejected); errors carry a
 * {@code google.rpc.Status} in the request's encoding (protobuf when it had none we know):
 * 400 malformed body, 404 unknown path, 405 not POST, 413 body over
 * {@link OtlpConfig#maxBodyBytes()} (before or after decompression), 415 other Content-Type or
 * Content-Encoding, 503 with {@code Retry-After} when storage is overloaded (exporters retry
 * it), 429 with {@code Retry-After} (seconds, rounded up) and a {@code RetryInfo} detail when the
 * sender is over its rate limit ({@link OtlpConfig#limits()}; the sender is the client's IP
 * address unless the configured header names it), 400 when the series limit refuses every data
 * point. A rejected request writes nothing.
 */
public final class OtlpHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OtlpHttpServer.class);
  public static final String METRICS_PATH = "/v1/metrics";
  public static final String LOGS_PATH = "/v1/logs";
  public static final String TRACES_PATH = "/v1/traces";
  static final String PROTOBUF = "application/x-protobuf";
  static final String JSON = "application/json";

  private final OtlpConfig config;
  private final OtlpReceiver receiver;
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private EventLoopGroup loops;
  private EventExecutorGroup workers;
  private Channel channel;

  /** With its own receiver applying {@link OtlpConfig#limits()}. */
  public OtlpHttpServer(OtlpConfig config, StorageEngine storage) {
    this(config, new OtlpReceiver(storage, new MetricsStorage(storage), config.limits(), new SeriesTracker(), null));
  }

  /**
   * With a receiver shared with the gRPC server; the receiver's limits apply (build it with
   * {@link OtlpConfig#limits()}).
   */
  public OtlpHttpServer(OtlpConfig config, OtlpReceiver receiver) {
    this.config = config;
    this.receiver = receiver;
    if (!config.limits().equals(receiver.limits())) {
      LOG.warn("OTLP/HTTP: the receiver's limits {} apply, not the config's {}", receiver.limits(), config.limits());
    }
  }

  /** Binds {@link OtlpConfig#host()}:{@link OtlpConfig#httpPort()} and returns the port. */
  public synchronized int start() throws InterruptedException {
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
    try {
      channel = b.bind(config.host(), config.httpPort()).sync().channel();
    } catch (InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  public boolean isListening() {
    return channel != null && channel.isActive();
  }

  @Override
  public synchronized void close() {
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
    connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    if (loops != null) {
      // Both at once, each with a quiet period: closing channels hands tasks back and forth.
      var l = loops.shutdownGracefully(100, 2000, TimeUnit.MILLISECONDS);
      var w = workers.shutdownGracefully(100, 2000, TimeUnit.MILLISECONDS);
      l.syncUninterruptibly();
      w.syncUninterruptibly();
    }
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      boolean json = JSON.equals(mediaType(req.headers().get(HttpHeaderNames.CONTENT_TYPE)));
      FullHttpResponse resp;
      try {
        resp = handle(ctx, req);
      } catch (IngestException e) {
        resp = status(e.status(), e.getMessage(), json, e.retryAfterSeconds());
        if (e.retryAfterSeconds() > 0) {
          resp.headers().set(HttpHeaderNames.RETRY_AFTER, e.retryAfterSeconds());
        }
        if (e.status() == 405) {
          resp.headers().set(HttpHeaderNames.ALLOW, "POST");
        }
      } catch (StorageException e) {
        if (e.kind() == StorageException.Kind.OVERLOADED) {
          resp = status(503, "E002: " + e.getMessage(), json);
          resp.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        } else if (e.kind() == StorageException.Kind.INVALID) {
          resp = status(400, e.getMessage(), json);
        } else {
          LOG.warn("OTLP/HTTP export failed", e);
          resp = status(500, "E005: " + e.getMessage(), json);
        }
      } catch (RuntimeException | Error e) {
        LOG.warn("OTLP/HTTP export failed", e);
        resp = status(500, "E005: internal error: " + e, json);
      }
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
      String path = new QueryStringDecoder(req.uri()).path();
      if (!path.equals(METRICS_PATH) && !path.equals(LOGS_PATH) && !path.equals(TRACES_PATH)) {
        throw new IngestException(404, "not found: OTLP/HTTP is POST " + METRICS_PATH + ", "
            + LOGS_PATH + " or " + TRACES_PATH);
      }
      if (!req.method().equals(HttpMethod.POST)) {
        throw new IngestException(405, "use POST");
      }
      String type = mediaType(req.headers().get(HttpHeaderNames.CONTENT_TYPE));
      if (!PROTOBUF.equals(type) && !JSON.equals(type)) {
        throw new IngestException(415, "unsupported Content-Type \"" + req.headers().get(HttpHeaderNames.CONTENT_TYPE)
            + "\": use " + PROTOBUF + " or " + JSON);
      }
      boolean json = JSON.equals(type);
      byte[] body = decompress(ByteBufUtil.getBytes(req.content()), req.headers().get(HttpHeaderNames.CONTENT_ENCODING));
      String header = config.limits().senderHeader();
        String sender = config.limits().sender(header.isEmpty() ? null : req.headers().get(header),
            ctx.channel().remoteAddress());
      Message response = switch (path) {
        case METRICS_PATH -> receiver.export(parse(body, json, ExportMetricsServiceRequest.newBuilder()).build(), sender);
        case LOGS_PATH -> receiver.export(parse(body, json, ExportLogsServiceRequest.newBuilder()).build(), sender);
        default -> receiver.export(parse(body, json, ExportTraceServiceRequest.newBuilder()).build(), sender);
      };
      return message(HttpResponseStatus.OK, response, json);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // Resets by the sender and writes racing a shutdown are normal; anything else is not.
      if (!(cause instanceof IOException)
          && !(cause instanceof java.util.concurrent.RejectedExecutionException)) {
        LOG.warn("OTLP/HTTP connection failed", cause);
      }
      ctx.close();
    }
  }


  private static <B extends Message.Builder> B parse(byte[] body, boolean json, B builder) {
    if (json) {
      return OtlpJson.parse(body, builder);
    }
    try {
      builder.mergeFrom(body);
      return builder;
    } catch (InvalidProtocolBufferException e) {
      throw new IngestException(400, "malformed protobuf: " + e.getMessage());
    }
  }

  /** The body as sent, or gunzipped; 413 if it exceeds the limit once decompressed. */
  private byte[] decompress(byte[] body, String encoding) {
    String e = encoding == null ? "identity" : encoding.trim().toLowerCase(Locale.ROOT);
    if (e.isEmpty() || e.equals("identity")) {
      return body;
    }
    if (!e.equals("gzip")) {
      throw new IngestException(415, "unsupported Content-Encoding \"" + encoding + "\": use gzip or none");
    }
    int limit = config.maxBodyBytes();
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, Math.max(64, body.length * 4)));
      byte[] buf = new byte[16384];
      long total = 0;
      for (int n; (n = in.read(buf)) > 0; ) {
        total += n;
        if (total > limit) {
          throw new IngestException(413, "request body decompresses to more than the limit of "
              + limit + " bytes");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (IOException ex) {
      throw new IngestException(400, "body is not valid gzip data: " + ex.getMessage());
    }
  }

  /** "application/json; charset=utf-8" -> "application/json"; null when absent. */
  static String mediaType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  private static FullHttpResponse message(HttpResponseStatus status, Message m, boolean json) {
    byte[] body = json ? OtlpJson.print(m).getBytes(StandardCharsets.UTF_8) : m.toByteArray();
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, json ? JSON : PROTOBUF);
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return r;
  }

  /** An error answer: a google.rpc.Status whose code is the gRPC code matching the HTTP status. */
  private static FullHttpResponse status(int http, String message, boolean json) {
    return status(http, message, json, 0);
  }

  /** With a {@code google.rpc.RetryInfo} detail when {@code retryAfterSeconds} is positive. */
  private static FullHttpResponse status(int http, String message, boolean json, long retryAfterSeconds) {
    int code = switch (http) {
      case 400 -> com.google.rpc.Code.INVALID_ARGUMENT_VALUE;
      case 404 -> com.google.rpc.Code.NOT_FOUND_VALUE;
      case 405, 415 -> com.google.rpc.Code.UNIMPLEMENTED_VALUE;
      case 413 -> com.google.rpc.Code.RESOURCE_EXHAUSTED_VALUE;
      case 429 -> com.google.rpc.Code.RESOURCE_EXHAUSTED_VALUE;
      case 503 -> com.google.rpc.Code.UNAVAILABLE_VALUE;
      default -> com.google.rpc.Code.INTERNAL_VALUE;
    };
    com.google.rpc.Status.Builder s = com.google.rpc.Status.newBuilder().setCode(code).setMessage(message);
    if (retryAfterSeconds > 0) {
      s.addDetails(com.google.protobuf.Any.pack(com.google.rpc.RetryInfo.newBuilder()
          .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(retryAfterSeconds)).build()));
    }
    return message(HttpResponseStatus.valueOf(http), s.build(), json);
  }
}

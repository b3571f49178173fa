package io.lumadb.ingest.otlp;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.lumadb.ingest.IngestException;
import io.lumadb.ingest.RemoteWriteServer;
import io.lumadb.ingest.SeriesTracker;
import io.lumadb.storage.MetricsStorage;
import io.lumadb.storage.StorageEngine;
import io.lumadb.storage.StorageException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/gRPC receiver: {@code MetricsService}, {@code LogsService} and {@code TraceService}
 * {@code Export} over plaintext HTTP/2 (prior knowledge, as the OpenTelemetry SDK exporters
 * connect), gzip-compressed messages accepted.
 *
 * <p>Answers: OK, with {@code partial_success} when some points were rejected;
 * INVALID_ARGUMENT for a message that does not parse; RESOURCE_EXHAUSTED for a message over
 * {@link OtlpConfig#maxBodyBytes()} (compressed or decompressed, enforced by gRPC);
 * UNAVAILABLE with a {@code google.rpc.RetryInfo} of one second when storage is overloaded
 * (exporters retry it); RESOURCE_EXHAUSTED with a {@code google.rpc.RetryInfo} of the seconds
 * to wait when the sender is over its rate limit ({@link OtlpConfig#limits()}; the sender is the
 * client's IP address unless the configured metadata key names it); INVALID_ARGUMENT when the
 * series limit refuses every data point; INTERNAL for anything else. A rejected request writes
 * nothing.
 *
 * <pre>{@code
 * try (OtlpGrpcServer grpc = new OtlpGrpcServer(OtlpConfig.DEFAULTS, storage)) {
 *   int port = grpc.start();
 *   ...
 * }
 * }</pre>
 */
public final class OtlpGrpcServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OtlpGrpcServer.class);

  /** Who sent the call being handled (see {@link #sender}). */
  private static final Context.Key<String> SENDER = Context.key("lumadb-otlp-sender");

  private final OtlpConfig config;
  private final OtlpReceiver receiver;
  private Server server;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private ExecutorService executor;

  /** With its own receiver applying {@link OtlpConfig#limits()}. */
  public OtlpGrpcServer(OtlpConfig config, StorageEngine storage) {
    this(config, new OtlpReceiver(storage, new MetricsStorage(storage), config.limits(), new SeriesTracker(), null));
  }

  /**
   * With a receiver shared with the HTTP server; the receiver's limits apply (build it with
   * {@link OtlpConfig#limits()}).
   */
  public OtlpGrpcServer(OtlpConfig config, OtlpReceiver receiver) {
    this.config = config;
    this.receiver = receiver;
    if (!config.limits().equals(receiver.limits())) {
      LOG.warn("OTLP/gRPC: the receiver's limits {} apply, not the config's {}", receiver.limits(), config.limits());
    }
  }

  /** Binds {@link OtlpConfig#host()}:{@link OtlpConfig#grpcPort()} and returns the port. */
  public synchronized int start() throws IOException {
    boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    AtomicInteger n = new AtomicInteger();
    // Conversion and durable writes block: they run on their own bounded pool.
    executor = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors() * 2), r -> {
      Thread t = new Thread(r, "lumadb-otlp-grpc-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server = NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.grpcPort()))
        .bossEventLoopGroup(boss)
        .workerEventLoopGroup(workers)
        .channelType(NioServerSocketChannel.class)
        .executor(executor)
        .maxInboundMessageSize(config.maxBodyBytes())
        .addService(ServerInterceptors.intercept(service(MetricsServiceGrpc.getExportMethod(),
            MetricsServiceGrpc.SERVICE_NAME, ExportMetricsServiceRequest.parser(), receiver::export), senders()))
        .addService(ServerInterceptors.intercept(service(LogsServiceGrpc.getExportMethod(),
            LogsServiceGrpc.SERVICE_NAME, ExportLogsServiceRequest.parser(), receiver::export), senders()))
        .addService(ServerInterceptors.intercept(service(TraceServiceGrpc.getExportMethod(),
            TraceServiceGrpc.SERVICE_NAME, ExportTraceServiceRequest.parser(), receiver::export), senders()))
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

  /**
   * Puts the sender of each call into its context: the value of the configured metadata key
   * when the call has it, else the client's IP address.
   */
  private ServerInterceptor senders() {
    String header = config.limits().senderHeader();
    Metadata.Key<String> key = header.isEmpty() ? null
        : Metadata.Key.of(header.toLowerCase(java.util.Locale.ROOT), Metadata.ASCII_STRING_MARSHALLER);
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        String sender = config.limits().sender(key == null ? null : headers.get(key),
            call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        return Contexts.interceptCall(Context.current().withValue(SENDER, sender), call, headers, next);
      }
    };
  }

  /**
   * One service whose {@code Export} takes the request as raw bytes, so that a message that does
   * not parse is answered with INVALID_ARGUMENT (the generated marshaller would say INTERNAL).
   */
  private static <Q extends Message, R extends Message> ServerServiceDefinition service(
      MethodDescriptor<Q, R> generated, String serviceName, Parser<Q> parser, BiFunction<Q, String, R> export) {
    MethodDescriptor<RawRequest, R> method = generated.toBuilder(RAW, generated.getResponseMarshaller()).build();
    return ServerServiceDefinition.builder(serviceName)
        .addMethod(method, ServerCalls.asyncUnaryCall((raw, observer) -> {
          try {
            if (raw.error() != null) {
              throw raw.error();
            }
            Q request;
            try {
              request = parser.parseFrom(raw.bytes());
            } catch (InvalidProtocolBufferException e) {
              throw Status.INVALID_ARGUMENT.withDescription("malformed protobuf: " + e.getMessage())
                  .asRuntimeException();
            }
            observer.onNext(export.apply(request, SENDER.get()));
            observer.onCompleted();
          } catch (StatusRuntimeException e) {
            observer.onError(e);
          } catch (IngestException e) {
            observer.onError(toStatus(e));
          } catch (StorageException e) {
            observer.onError(toStatus(e));
          } catch (RuntimeException | Error e) {
            LOG.warn("OTLP/gRPC export failed", e);
            observer.onError(Status.INTERNAL.withDescription("E005: internal error: " + e).asRuntimeException());
          }
        }))
        .build();
  }

  /** 429 (rate limit) is RESOURCE_EXHAUSTED with RetryInfo; the request's faults INVALID_ARGUMENT. */
  static StatusRuntimeException toStatus(IngestException e) {
    return switch (e.status()) {
      case 429 -> StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
          .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
          .setMessage(e.getMessage())
          .addDetails(Any.pack(RetryInfo.newBuilder()
              .setRetryDelay(Duration.newBuilder().setSeconds(Math.max(1, e.retryAfterSeconds()))).build()))
          .build());
      case 413 -> Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asRuntimeException();
      case 400 -> Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
      default -> Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException();
    };
  }

  /** OVERLOADED is retryable (UNAVAILABLE with RetryInfo); INVALID is the request's fault. */
  static StatusRuntimeException toStatus(StorageException e) {
    return switch (e.kind()) {
      case OVERLOADED -> StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
          .setCode(Code.UNAVAILABLE_VALUE)
          .setMessage("E002: " + e.getMessage())
          .addDetails(Any.pack(RetryInfo.newBuilder()
              .setRetryDelay(Duration.newBuilder().setSeconds(1)).build()))
          .build());
      case INVALID -> Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
      default -> {
        LOG.warn("OTLP/gRPC export failed", e);
        yield Status.INTERNAL.withDescription("E005: " + e.getMessage()).asRuntimeException();
      }
    };
  }

  /**
   * A request message as bytes, or why it could not be read (e.g. RESOURCE_EXHAUSTED once
   * decompressed past the limit): an exception thrown by a marshaller would reach the client
   * as UNKNOWN, so it is carried to the handler instead.
   */
  private record RawRequest(byte[] bytes, StatusRuntimeException error) {}

  private static final MethodDescriptor.Marshaller<RawRequest> RAW = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(RawRequest value) {
      return new ByteArrayInputStream(value.bytes());
    }

    @Override
    public RawRequest parse(InputStream stream) {
      try {
        return new RawRequest(stream.readAllBytes(), null);
      } catch (StatusRuntimeException e) {
        return new RawRequest(null, e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  @Override
  public synchronized void close() {
    if (server != null) {
      server.shutdown();
      try {
        if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
          server.shutdownNow();
          server.awaitTermination(2, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        server.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    if (executor != null) {
      executor.shutdown();
    }
    if (boss != null) {
      boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
      workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}

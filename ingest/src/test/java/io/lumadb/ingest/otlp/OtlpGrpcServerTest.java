package io.lumadb.ingest.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.RetryInfo;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.lumadb.storage.StorageConfig;
import io.lumadb.storage.StorageEngine;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OTLP/gRPC through a real grpc-java client: compression, limits, malformed data, partial success, overload. */
class OtlpGrpcServerTest {
  static final int LIMIT = 64 * 1024;
  static final long T = 1_700_000_000_000_000_000L;

  StorageEngine storage;
  OtlpGrpcServer server;
  ManagedChannel channel;

  void start(StorageConfig storageConfig) throws Exception {
    storage = new StorageEngine(storageConfig);
    server = new OtlpGrpcServer(new OtlpConfig(true, "127.0.0.1", 0, 0, LIMIT), storage);
    int port = server.start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  @BeforeEach
  void start() throws Exception {
    start(StorageConfig.DEFAULTS);
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
    storage.close();
  }

  MetricsServiceGrpc.MetricsServiceBlockingStub metrics() {
    return MetricsServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  static Metric gauge(String name, double v) {
    return Metric.newBuilder().setName(name).setGauge(Gauge.newBuilder()
        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsDouble(v))).build();
  }

  static ExportMetricsServiceRequest request(Metric... m) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(java.util.List.of(m)))).build();
  }

  static ExportLogsServiceRequest logs(String body) {
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder().setTimeUnixNano(T)
            .setBody(AnyValue.newBuilder().setStringValue(body))))).build();
  }

  @Test
  void gzipCompressedExport() {
    ExportMetricsServiceResponse r = metrics().withCompression("gzip").export(request(gauge("temp", 20.5)));
    assertTrue(!r.hasPartialSuccess());
    assertEquals(20.5, StoredRows.metric(storage, "temp").get(0).get("value"));
  }

  @Test
  void partialSuccessCountsRejectedPoints() {
    Metric unspecified = Metric.newBuilder().setName("d").setSum(Sum.newBuilder().setIsMonotonic(true)
        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsInt(1))
        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T + 1).setAsInt(2))).build();
    ExportMetricsServiceResponse r = metrics().export(request(gauge("kept", 1), unspecified));
    assertEquals(2, r.getPartialSuccess().getRejectedDataPoints());
    assertTrue(r.getPartialSuccess().getErrorMessage().contains("without aggregation temporality"),
        r.getPartialSuccess().getErrorMessage());
    assertEquals(1, StoredRows.metric(storage, "kept").size());
    assertTrue(storage.table(new io.lumadb.storage.TableId("metrics", "d_total")).isEmpty());
  }

  @Test
  void deltaSumsAndExemplarsAreStored() {
    Metric delta = Metric.newBuilder().setName("d").setSum(Sum.newBuilder().setIsMonotonic(true)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
        .addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(T - 1_000_000_000L).setTimeUnixNano(T)
            .setAsInt(3).addExemplars(io.opentelemetry.proto.metrics.v1.Exemplar.newBuilder().setAsInt(1)
                .setTimeUnixNano(T).setTraceId(com.google.protobuf.ByteString.fromHex("000102030405060708090a0b0c0d0e0f"))))
        .addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(T).setTimeUnixNano(T + 1_000_000_000L)
            .setAsInt(4))).build();
    ExportMetricsServiceResponse r = metrics().export(request(delta));
    assertTrue(!r.hasPartialSuccess(), r.toString());
    var rows = StoredRows.metric(storage, "d_total");
    assertEquals(List.of(3.0, 4.0), rows.stream().map(x -> x.get("value")).toList());
    assertEquals("delta", rows.get(0).get("otel_temporality"));
    assertEquals(T / 1_000_000 - 1000, rows.get(0).get("created_timestamp"));
    var exemplars = StoredRows.rows(storage, "metrics", "exemplars");
    assertEquals(1, exemplars.size());
    assertEquals("d_total", exemplars.get(0).get("metric"));
    assertEquals("000102030405060708090a0b0c0d0e0f", exemplars.get(0).get("trace_id"));
    assertEquals(1.0, exemplars.get(0).get("value"));
  }

  @Test
  void oversizedMessagesAreResourceExhausted() {
    byte[] noise = new byte[LIMIT];
    new Random(1).nextBytes(noise);
    String incompressible = java.util.Base64.getEncoder().encodeToString(noise);
    var stub = LogsServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.export(logs(incompressible)));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
    // Small on the wire, too big once decompressed.
    StatusRuntimeException z = assertThrows(StatusRuntimeException.class,
        () -> stub.withCompression("gzip").export(logs("a".repeat(4 * LIMIT))));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, z.getStatus().getCode());
    assertTrue(storage.table(OtelTables.LOGS).isEmpty(), "nothing written");
    // The server is still fine afterwards.
    LogsServiceGrpc.newBlockingStub(channel).export(logs("small"));
    assertEquals("small", StoredRows.rows(storage, "otel", "logs").get(0).get("body"));
  }

  static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  };

  @Test
  void malformedMessageIsInvalidArgument() {
    MethodDescriptor<byte[], byte[]> raw = MetricsServiceGrpc.getExportMethod().toBuilder(RAW, RAW).build();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(channel, raw, CallOptions.DEFAULT, new byte[] {(byte) 0xff, 1, 2}));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(storage.allTables().isEmpty(), "nothing written");
  }

  @Test
  void overloadIsUnavailableWithRetryInfo() throws Exception {
    stop();
    start(StorageConfig.DEFAULTS.withHotMaxBytes(0));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> metrics().export(request(gauge("temp", 1))));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    var details = StatusProto.fromThrowable(e).getDetailsList();
    assertEquals(1, details.size());
    assertEquals(1, details.get(0).unpack(RetryInfo.class).getRetryDelay().getSeconds());
    assertTrue(storage.table(new io.lumadb.storage.TableId("metrics", "temp")).isEmpty());
  }
}

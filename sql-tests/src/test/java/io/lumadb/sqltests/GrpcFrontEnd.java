package io.lumadb.sqltests;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.lumadb.pgwire.PgText;
import io.lumadb.proto.query.Error;
import io.lumadb.proto.query.QueryRequest;
import io.lumadb.proto.query.QueryResponse;
import io.lumadb.proto.query.QueryServiceGrpc;
import io.lumadb.proto.query.Row;
import io.lumadb.proto.query.Value;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC QueryService as a front end: each SQL text goes through {@code StreamExecute} with
 * the default (typed values) encoding, and values are printed as PostgreSQL prints them, so the
 * same .slt expectations hold as through pgwire. Errors carry their SQLSTATE in the status
 * details.
 */
public final class GrpcFrontEnd implements SqlFrontEnd {
  private final ManagedChannel channel;
  private final QueryServiceGrpc.QueryServiceBlockingStub stub;
  /** A gRPC call is a session of its own: SET/RESET are kept here and sent with each request. */
  private final java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();

  private static final java.util.regex.Pattern SET = java.util.regex.Pattern.compile(
      "(?is)\\s*SET\\s+(?:SESSION\\s+)?(TIME\\s+ZONE|[\\w.]+)\\s*(?:=|\\s+TO\\s+|\\s)\\s*(.*?)\\s*;?\\s*");
  private static final java.util.regex.Pattern RESET = java.util.regex.Pattern.compile(
      "(?is)\\s*RESET\\s+([\\w.]+)\\s*;?\\s*");

  public GrpcFrontEnd(int port, String user, String password) {
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Basic "
        + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    stub = QueryServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
  }

  @Override
  public String name() {
    return "grpc";
  }

  @Override
  public Outcome execute(String sql) {
    try {
      Iterator<QueryResponse> it = stub.withDeadlineAfter(120, TimeUnit.SECONDS)
          .streamExecute(QueryRequest.newBuilder().setQuery(sql).putAllSettings(settings).build());
      List<String> names = null;
      List<Boolean> timestamptz = new ArrayList<>();
      ZoneId zone = ZoneId.of(settings.getOrDefault("timezone", "UTC"));
      List<List<String>> rows = new ArrayList<>();
      long count = 0;
      while (it.hasNext()) {
        QueryResponse r = it.next();
        if (names == null && r.getColumnsCount() > 0) {
          names = new ArrayList<>();
          for (var c : r.getColumnsList()) {
            names.add(c.getName());
            timestamptz.add(c.getType().equals("TIMESTAMP_WITH_LOCAL_TIME_ZONE"));
          }
        }
        for (Row row : r.getRowsList()) {
          List<String> values = new ArrayList<>(row.getValuesCount());
          for (int i = 0; i < row.getValuesCount(); i++) {
            Value v = row.getValues(i);
            values.add(v.hasTimestampValue() && timestamptz.get(i)
                ? PgText.format(Instant.ofEpochSecond(v.getTimestampValue().getSeconds(),
                    v.getTimestampValue().getNanos()), zone)
                : PgText.format(java(v)));
          }
          rows.add(values);
        }
        count = Math.max(count, r.getRowCount());
      }
      remember(sql);
      return names == null ? new Done(count) : new Rows(names, rows);
    } catch (StatusRuntimeException e) {
      com.google.rpc.Status s = StatusProto.fromThrowable(e);
      if (s != null && s.getDetailsCount() > 0 && s.getDetails(0).is(Error.class)) {
        try {
          Error err = s.getDetails(0).unpack(Error.class);
          return new Failed(err.getSqlstate(), err.getMessage());
        } catch (InvalidProtocolBufferException bad) {
          // fall through to the status alone
        }
      }
      return new Failed(null, e.getStatus().toString());
    }
  }

  /** After a SET or RESET the server accepted, keeps it for the following requests. */
  private void remember(String sql) {
    java.util.regex.Matcher m = SET.matcher(sql);
    if (m.matches()) {
      String name = m.group(1).toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", "");
      String value = m.group(2);
      if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
        value = value.substring(1, value.length() - 1).replace("''", "'");
      }
      settings.put(name.equals("timezone") ? "timezone" : name, value);
      return;
    }
    m = RESET.matcher(sql);
    if (m.matches()) {
      settings.remove(m.group(1).toLowerCase(java.util.Locale.ROOT));
    }
  }

  /** A protocol value in LumaDB's Java representation (what pgwire would print). */
  private static Object java(Value v) {
    return switch (v.getKindCase()) {
      case NULL_VALUE, KIND_NOT_SET -> null;
      case BOOL_VALUE -> v.getBoolValue();
      case INT32_VALUE -> v.getInt32Value();
      case INT64_VALUE -> v.getInt64Value();
      case FLOAT_VALUE -> v.getFloatValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case DECIMAL_VALUE -> new BigDecimal(v.getDecimalValue());
      case STRING_VALUE -> v.getStringValue();
      case BYTES_VALUE -> v.getBytesValue().toByteArray();
      case TIMESTAMP_VALUE -> LocalDateTime.ofInstant(Instant.ofEpochSecond(
          v.getTimestampValue().getSeconds(), v.getTimestampValue().getNanos()), ZoneOffset.UTC);
      case DATE_VALUE -> LocalDate.ofEpochDay(v.getDateValue());
      case TIME_VALUE -> LocalTime.ofNanoOfDay(v.getTimeValue() * 1000);
      case ARRAY_VALUE -> {
        List<Object> items = new ArrayList<>();
        for (Value item : v.getArrayValue().getValuesList()) {
          items.add(java(item));
        }
        yield items;
      }
    };
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

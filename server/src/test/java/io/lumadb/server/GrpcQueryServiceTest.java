package io.lumadb.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.lumadb.proto.query.Column;
import io.lumadb.proto.query.Error;
import io.lumadb.proto.query.QueryRequest;
import io.lumadb.proto.query.QueryResponse;
import io.lumadb.proto.query.QueryServiceGrpc;
import io.lumadb.proto.query.Row;
import io.lumadb.proto.query.RowEncoding;
import io.lumadb.proto.query.Value;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gRPC QueryService through real generated stubs (blocking and async) over a
 * ManagedChannel against a started LumaServer.
 */
class GrpcQueryServiceTest {
  private static final int BIG_ROWS = 200_000;

  @TempDir
  static Path dir;

  private static LumaServer server;
  private static ManagedChannel channel;
  private static QueryServiceGrpc.QueryServiceBlockingStub blocking;
  private static QueryServiceGrpc.QueryServiceStub async;

  @BeforeAll
  static void start() throws Exception {
    server = TestServers.start(dir);
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    blocking = QueryServiceGrpc.newBlockingStub(channel).withInterceptors(basic("lumadb", "lumadb"));
    async = QueryServiceGrpc.newStub(channel).withInterceptors(basic("lumadb", "lumadb"));
    createBigTable();
  }

  @AfterAll
  static void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
  }

  private static io.grpc.ClientInterceptor basic(String user, String password) {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Basic "
        + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    return MetadataUtils.newAttachHeadersInterceptor(md);
  }

  private static QueryResponse execute(String sql, Value... params) {
    return blocking.execute(QueryRequest.newBuilder().setQuery(sql).addAllParams(List.of(params)).build());
  }

  /** 200k rows (id, name, v = id) built through gRPC itself: VALUES, then INSERT ... SELECT doubling. */
  private static void createBigTable() {
    assertEquals("CREATE TABLE", execute("CREATE TABLE big (id BIGINT, name VARCHAR, v DOUBLE)").getCommandTag());
    StringBuilder values = new StringBuilder("INSERT INTO big VALUES ");
    for (int i = 0; i < 1000; i++) {
      values.append(i == 0 ? "" : ", ").append("(").append(i).append(", 'row-").append(i).append("', ")
          .append(i).append(")");
    }
    QueryResponse r = execute(values.toString());
    assertEquals("INSERT 0 1000", r.getCommandTag());
    assertEquals(1000, r.getRowCount());
    for (long n = 1000; n < BIG_ROWS; n *= 2) {
      long add = Math.min(n, BIG_ROWS - n);
      r = execute("INSERT INTO big SELECT id + $1, name, v + $1 FROM big WHERE id < $2",
          int64(n), int64(add));
      assertEquals(add, r.getRowCount(), r.getCommandTag());
    }
  }

  private static Value int64(long v) {
    return Value.newBuilder().setInt64Value(v).build();
  }

  private static Value text(String v) {
    return Value.newBuilder().setStringValue(v).build();
  }

  @Test
  void executeBindsParamsOfSeveralTypes() {
    LocalDateTime ts = LocalDateTime.of(2024, 1, 3, 10, 15, 30, 250_000_000);
    QueryResponse r = execute("SELECT $1 AS i, $2 AS b, $3 AS d, $4 AS t, $5 AS ts, $6 AS n, $7 AS day,"
            + " $8 AS bin, $9 AS nothing, $10 AS small",
        int64(42),
        Value.newBuilder().setBoolValue(true).build(),
        Value.newBuilder().setDoubleValue(2.5).build(),
        text("hello"),
        Value.newBuilder().setTimestampValue(Timestamp.newBuilder()
            .setSeconds(ts.toEpochSecond(ZoneOffset.UTC)).setNanos(ts.getNano())).build(),
        Value.newBuilder().setDecimalValue("12.345").build(),
        Value.newBuilder().setDateValue((int) LocalDate.of(2024, 2, 29).toEpochDay()).build(),
        Value.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {0, 1, (byte) 0xff})).build(),
        Value.getDefaultInstance(),
        Value.newBuilder().setInt32Value(-7).build());
    assertEquals(List.of("i", "b", "d", "t", "ts", "n", "day", "bin", "nothing", "small"),
        r.getColumnsList().stream().map(Column::getName).toList());
    assertEquals(List.of("BIGINT", "BOOLEAN", "DOUBLE", "VARCHAR", "TIMESTAMP", "DECIMAL", "DATE",
            "VARBINARY", "VARCHAR", "INTEGER"),
        r.getColumnsList().stream().map(Column::getType).toList());
    assertEquals("SELECT 1", r.getCommandTag());
    assertEquals(1, r.getRowCount());
    Row row = r.getRows(0);
    assertEquals(42, row.getValues(0).getInt64Value());
    assertTrue(row.getValues(1).getBoolValue());
    assertEquals(2.5, row.getValues(2).getDoubleValue());
    assertEquals("hello", row.getValues(3).getStringValue());
    Timestamp got = row.getValues(4).getTimestampValue();
    assertEquals(ts, LocalDateTime.ofEpochSecond(got.getSeconds(), got.getNanos(), ZoneOffset.UTC));
    assertEquals(0, new BigDecimal("12.345").compareTo(new BigDecimal(row.getValues(5).getDecimalValue())));
    assertEquals(LocalDate.of(2024, 2, 29).toEpochDay(), row.getValues(6).getDateValue());
    assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, row.getValues(7).getBytesValue().toByteArray());
    assertEquals(Value.KindCase.NULL_VALUE, row.getValues(8).getKindCase());
    assertEquals(-7, row.getValues(9).getInt32Value());
  }

  @Test
  void textParamsTakeTheTypeTheStatementNeeds() {
    execute("CREATE TABLE events (ts TIMESTAMP, host VARCHAR, n INTEGER, ok BOOLEAN)");
    QueryResponse ins = execute("INSERT INTO events VALUES ($1, $2, $3, $4), ($5, $6, $7, $8)",
        text("2024-05-01 12:00:00"), text("a"), text("1"),
        Value.newBuilder().setBoolValue(true).build(),
        text("2024-05-02 12:00:00"), text("b"), text("2"), Value.getDefaultInstance());
    assertEquals("INSERT 0 2", ins.getCommandTag());
    assertEquals(2, ins.getRowCount());
    // text compared with a TIMESTAMP and an INTEGER column is read as those types
    QueryResponse r = execute("SELECT host, n, ok FROM events WHERE ts > $1 AND n >= $2 ORDER BY host",
        text("2024-05-01 18:00:00"), text("2"));
    assertEquals(1, r.getRowsCount());
    assertEquals("b", r.getRows(0).getValues(0).getStringValue());
    assertEquals(2, r.getRows(0).getValues(1).getInt32Value());
    assertEquals(Value.KindCase.NULL_VALUE, r.getRows(0).getValues(2).getKindCase());
    assertEquals(List.of("VARCHAR", "INTEGER", "BOOLEAN"), r.getColumnsList().stream().map(Column::getType).toList());

    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> execute("SELECT host FROM events WHERE n = $1", text("two")));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertEquals("22P02", error(e).getSqlstate());
  }

  @Test
  void arrowIpcEncodingDecodesWithArrowStreamReader() throws Exception {
    execute("CREATE TABLE arrow_t (id BIGINT, name VARCHAR, v DOUBLE, ts TIMESTAMP, ok BOOLEAN)");
    execute("INSERT INTO arrow_t VALUES (1, 'one', 1.5, TIMESTAMP '2024-01-01 00:00:01', TRUE),"
        + " (2, NULL, NULL, NULL, FALSE), (3, 'three', 3.5, TIMESTAMP '2024-01-01 00:00:03.5', NULL)");
    QueryResponse r = blocking.execute(QueryRequest.newBuilder()
        .setQuery("SELECT id, name, v, ts, ok, CAST(id AS DECIMAL(10, 2)) AS dec, DATE '2024-03-01' AS day,"
            + " X'00FF' AS bin FROM arrow_t ORDER BY id")
        .setEncoding(RowEncoding.ROW_ENCODING_ARROW_IPC).build());
    assertEquals(0, r.getRowsCount());
    assertEquals("SELECT 3", r.getCommandTag());
    assertEquals(8, r.getColumnsCount());
    try (BufferAllocator allocator = new RootAllocator();
        ArrowStreamReader reader = new ArrowStreamReader(
            new ByteArrayInputStream(r.getArrowIpc().toByteArray()), allocator)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      assertEquals(List.of("id", "name", "v", "ts", "ok", "dec", "day", "bin"),
          root.getSchema().getFields().stream().map(f -> f.getName()).toList());
      assertEquals(new ArrowType.Int(64, true), root.getSchema().getFields().get(0).getType());
      assertEquals(new ArrowType.Decimal(10, 2, 128), root.getSchema().getFields().get(5).getType());
      List<Long> ids = new ArrayList<>();
      int batches = 0;
      while (reader.loadNextBatch()) {
        batches++;
        BigIntVector id = (BigIntVector) root.getVector("id");
        VarCharVector name = (VarCharVector) root.getVector("name");
        Float8Vector v = (Float8Vector) root.getVector("v");
        TimeStampMicroVector ts = (TimeStampMicroVector) root.getVector("ts");
        BitVector ok = (BitVector) root.getVector("ok");
        DecimalVector dec = (DecimalVector) root.getVector("dec");
        DateDayVector day = (DateDayVector) root.getVector("day");
        VarBinaryVector bin = (VarBinaryVector) root.getVector("bin");
        for (int i = 0; i < root.getRowCount(); i++) {
          ids.add(id.get(i));
          if (id.get(i) == 1) {
            assertEquals("one", new String(name.get(i), StandardCharsets.UTF_8));
            assertEquals(1.5, v.get(i));
            assertEquals(LocalDateTime.of(2024, 1, 1, 0, 0, 1), ts.getObject(i));
            assertEquals(1, ok.get(i));
            assertEquals(new BigDecimal("1.00"), dec.getObject(i));
            assertEquals(LocalDate.of(2024, 3, 1).toEpochDay(), day.get(i));
            assertArrayEquals(new byte[] {0, (byte) 0xff}, bin.get(i));
          } else if (id.get(i) == 2) {
            assertTrue(name.isNull(i));
            assertTrue(v.isNull(i));
            assertTrue(ts.isNull(i));
            assertEquals(0, ok.get(i));
          } else {
            assertEquals(LocalDateTime.of(2024, 1, 1, 0, 0, 3, 500_000_000), ts.getObject(i));
            assertTrue(ok.isNull(i));
          }
        }
      }
      assertEquals(1, batches);
      assertEquals(List.of(1L, 2L, 3L), ids);
    }

    // a result without rows still carries its schema
    QueryResponse empty = blocking.execute(QueryRequest.newBuilder()
        .setQuery("SELECT id, name FROM arrow_t WHERE id < 0")
        .setEncoding(RowEncoding.ROW_ENCODING_ARROW_IPC).build());
    assertEquals("SELECT 0", empty.getCommandTag());
    try (BufferAllocator allocator = new RootAllocator();
        ArrowStreamReader reader = new ArrowStreamReader(
            new ByteArrayInputStream(empty.getArrowIpc().toByteArray()), allocator)) {
      assertEquals(2, reader.getVectorSchemaRoot().getSchema().getFields().size());
      assertFalse(reader.loadNextBatch());
    }
  }

  @Test
  void streamExecuteSendsALargeResultInBatchesAsTheClientReads() throws Exception {
    double sentBefore = counter("lumadb_grpc_query_messages_sent");
    SlowReader reader = new SlowReader();
    async.streamExecute(QueryRequest.newBuilder().setQuery("SELECT id, name, v FROM big").build(), reader);
    await(() -> reader.received.size() == 1, "the first message");
    // The client asked for one message only. gRPC's flow control lets the server get ahead by
    // its window (about 1 MiB, a few dozen messages) and then makes it wait: it must not have
    // produced the whole result (about 200 messages) into memory.
    Thread.sleep(1500);
    double sentWhileHeld = counter("lumadb_grpc_query_messages_sent") - sentBefore;
    assertTrue(sentWhileHeld < 100, "server sent " + sentWhileHeld + " messages to a client that read 1");
    assertTrue(sentWhileHeld >= 1);
    assertEquals(1.0, gauge("lumadb_grpc_queries_running"), "the query waits, it has not finished");

    // Now read one message at a time, slowly.
    int requested = 1;
    while (reader.done.getCount() > 0) {
      if (reader.received.size() == requested) {
        reader.stream.get().request(1);
        requested++;
        if (requested < 30) {
          Thread.sleep(5);
        }
      } else {
        Thread.sleep(1);
      }
    }
    assertNull(reader.error.get());
    List<QueryResponse> messages = new ArrayList<>(reader.received);
    assertTrue(messages.size() >= BIG_ROWS / 1000, "messages: " + messages.size());
    assertEquals(List.of("id", "name", "v"), messages.get(0).getColumnsList().stream().map(Column::getName).toList());
    for (int i = 1; i < messages.size(); i++) {
      assertEquals(0, messages.get(i).getColumnsCount(), "columns come in the first message only");
    }
    QueryResponse last = messages.get(messages.size() - 1);
    assertEquals("SELECT " + BIG_ROWS, last.getCommandTag());
    assertEquals(BIG_ROWS, last.getRowCount());
    Set<Long> ids = new HashSet<>();
    long sum = 0;
    for (QueryResponse m : messages) {
      assertTrue(m.getRowsCount() <= 1000);
      for (Row row : m.getRowsList()) {
        long id = row.getValues(0).getInt64Value();
        ids.add(id);
        sum += id;
        assertEquals((double) id, row.getValues(2).getDoubleValue());
      }
    }
    assertEquals(BIG_ROWS, ids.size());
    assertEquals((long) BIG_ROWS * (BIG_ROWS - 1) / 2, sum);
  }

  @Test
  void streamExecuteInArrowIpcCutsMessagesByRowsRequested() throws Exception {
    List<QueryResponse> messages = new ArrayList<>();
    blocking.streamExecute(QueryRequest.newBuilder().setQuery("SELECT id FROM big WHERE id < 50000")
        .setEncoding(RowEncoding.ROW_ENCODING_ARROW_IPC).setMaxRowsPerMessage(20000).build())
        .forEachRemaining(messages::add);
    assertEquals(3, messages.size());
    long rows = 0;
    try (BufferAllocator allocator = new RootAllocator()) {
      for (QueryResponse m : messages) {
        try (ArrowStreamReader reader = new ArrowStreamReader(
            new ByteArrayInputStream(m.getArrowIpc().toByteArray()), allocator)) {
          while (reader.loadNextBatch()) {
            rows += reader.getVectorSchemaRoot().getRowCount();
          }
        }
      }
    }
    assertEquals(50000, rows);
    assertEquals("SELECT 50000", messages.get(2).getCommandTag());
  }

  @Test
  void clientCancellationStopsTheQuery() throws Exception {
    double cancelledBefore = counter("lumadb_grpc_query_cancelled");
    double sentBefore = counter("lumadb_grpc_query_messages_sent");
    SlowReader reader = new SlowReader();
    async.streamExecute(QueryRequest.newBuilder().setQuery("SELECT id, name, v FROM big").build(), reader);
    await(() -> reader.received.size() == 1, "the first message");
    await(() -> gauge("lumadb_grpc_queries_running") == 1.0, "the query to run");
    reader.stream.get().cancel("the client lost interest", null);
    assertTrue(reader.done.await(10, TimeUnit.SECONDS));
    assertEquals(Status.Code.CANCELLED, Status.fromThrowable(reader.error.get()).getCode());
    await(() -> gauge("lumadb_grpc_queries_running") == 0.0, "the query to stop");
    assertEquals(1.0, counter("lumadb_grpc_query_cancelled") - cancelledBefore);
    assertTrue(counter("lumadb_grpc_query_messages_sent") - sentBefore < BIG_ROWS / 1000,
        "the query stopped before producing its whole result");
    // and the server goes on serving
    assertEquals(BIG_ROWS, execute("SELECT count(*) FROM big").getRows(0).getValues(0).getInt64Value());
  }

  @Test
  void errorsCarryApiCodesAndSqlStates() {
    StatusRuntimeException syntax = assertThrows(StatusRuntimeException.class, () -> execute("SELEC 1"));
    assertEquals(Status.Code.INVALID_ARGUMENT, syntax.getStatus().getCode());
    assertTrue(syntax.getStatus().getDescription().startsWith("E003: syntax error"), syntax.getMessage());
    assertEquals("E003", error(syntax).getCode());
    assertEquals("42601", error(syntax).getSqlstate());

    StatusRuntimeException table = assertThrows(StatusRuntimeException.class,
        () -> execute("SELECT * FROM nosuch"));
    assertEquals(Status.Code.INVALID_ARGUMENT, table.getStatus().getCode());
    assertEquals("E004", error(table).getCode());
    assertEquals("42P01", error(table).getSqlstate());
    assertEquals("E004: relation \"nosuch\" does not exist", error(table).getMessage());

    // the same through StreamExecute
    StatusRuntimeException streamed = assertThrows(StatusRuntimeException.class,
        () -> blocking.streamExecute(QueryRequest.newBuilder().setQuery("SELECT * FROM nosuch").build())
            .forEachRemaining(m -> {}));
    assertEquals("E004", error(streamed).getCode());

    // an error without an API code still has its SQLSTATE
    StatusRuntimeException zero = assertThrows(StatusRuntimeException.class,
        () -> execute("SELECT id / (id - id) FROM big WHERE id = 5"));
    assertEquals(Status.Code.INVALID_ARGUMENT, zero.getStatus().getCode());
    assertEquals("", error(zero).getCode());
    assertEquals("22012", error(zero).getSqlstate());

    StatusRuntimeException two = assertThrows(StatusRuntimeException.class, () -> execute("SELECT 1; SELECT 2"));
    assertEquals("42601", error(two).getSqlstate());
    StatusRuntimeException missing = assertThrows(StatusRuntimeException.class, () -> execute("SELECT $1 + $2", int64(1)));
    assertEquals(Status.Code.INVALID_ARGUMENT, missing.getStatus().getCode());

    // a result larger than max_message_bytes cannot be one Execute answer
    StatusRuntimeException large = assertThrows(StatusRuntimeException.class, () -> execute("SELECT * FROM big"));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, large.getStatus().getCode());
    assertEquals("54000", error(large).getSqlstate());

    // the server still serves
    assertEquals(3, execute("SELECT 1 + 2 AS x").getRows(0).getValues(0).getInt32Value());
  }

  @Test
  void authenticationIsRequired() {
    var wrong = QueryServiceGrpc.newBlockingStub(channel).withInterceptors(basic("lumadb", "wrong"));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> wrong.execute(QueryRequest.newBuilder().setQuery("SELECT 1").build()));
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    assertEquals("E001", error(e).getCode());
    assertEquals("28P01", error(e).getSqlstate());
    assertTrue(e.getStatus().getDescription().startsWith("E001: password authentication failed"));

    var otherUser = QueryServiceGrpc.newBlockingStub(channel).withInterceptors(basic("mallory", "lumadb"));
    assertEquals(Status.Code.UNAUTHENTICATED, assertThrows(StatusRuntimeException.class,
        () -> otherUser.execute(QueryRequest.newBuilder().setQuery("SELECT 1").build())).getStatus().getCode());

    var none = QueryServiceGrpc.newBlockingStub(channel);
    StatusRuntimeException missing = assertThrows(StatusRuntimeException.class,
        () -> none.streamExecute(QueryRequest.newBuilder().setQuery("SELECT 1").build()).hasNext());
    assertEquals(Status.Code.UNAUTHENTICATED, missing.getStatus().getCode());
    assertEquals("E001", error(missing).getCode());

    assertEquals("SELECT 1", execute("SELECT 1").getCommandTag());
  }

  /**
   * Calls borrow pooled sessions that keep their queries' plans: the same query with other
   * parameters is not planned again, a new table of the same name is (the catalog changed), and a
   * failed query's session is not kept.
   */
  @Test
  void queriesRunOnThePlansOfPooledSessions() {
    double hits = counter("lumadb_grpc_plan_cache_hits");
    double misses = counter("lumadb_grpc_plan_cache_misses");
    for (long id : new long[] {7, 8, 9, 10}) {
      QueryResponse r = execute("SELECT name FROM big WHERE id = $1", int64(id));
      assertEquals("row-" + id, r.getRows(0).getValues(0).getStringValue());
    }
    assertEquals(3, counter("lumadb_grpc_plan_cache_hits") - hits);
    assertEquals(1, counter("lumadb_grpc_plan_cache_misses") - misses);

    execute("CREATE TABLE pooled (a INT)");
    execute("INSERT INTO pooled VALUES (1)");
    assertEquals(1, execute("SELECT * FROM pooled").getColumnsCount());
    // the table changes through pgwire, so the gRPC session that planned the query stays pooled
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + server.pgPort() + "/default", "lumadb", "lumadb");
        java.sql.Statement st = c.createStatement()) {
      st.execute("DROP TABLE pooled");
      st.execute("CREATE TABLE pooled (a INT, b VARCHAR)");
      st.execute("INSERT INTO pooled VALUES (2, 'x')");
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
    QueryResponse r = execute("SELECT * FROM pooled");
    assertEquals(2, r.getColumnsCount());
    assertEquals("x", r.getRows(0).getValues(1).getStringValue());

    assertThrows(StatusRuntimeException.class, () -> execute("SELECT 1 / a FROM (VALUES (0)) t(a)"));
    assertEquals(1, execute("SELECT 1 / a FROM (VALUES (1)) t(a)").getRowsCount());
  }

  @Test
  void settingsApplyToTheCallOnly() {
    QueryResponse r = blocking.execute(QueryRequest.newBuilder().setQuery("SHOW application_name")
        .putSettings("application_name", "grpc-test").build());
    assertEquals("grpc-test", r.getRows(0).getValues(0).getStringValue());
    assertEquals("SHOW", r.getCommandTag());
    // each call has its own session: a SET does not outlive its call (its session is not pooled)
    execute("SET application_name = 'changed'");
    assertFalse(execute("SHOW application_name").getRows(0).getValues(0).getStringValue().equals("changed"));
    execute("SET search_path = 'nowhere'");
    assertEquals(1, execute("SELECT count(*) FROM big").getRowsCount()); // the default search_path
    // a session pooled with settings serves only calls with the same settings
    assertEquals("grpc-test", blocking.execute(QueryRequest.newBuilder().setQuery("SELECT current_setting('application_name')")
        .putSettings("application_name", "grpc-test").build()).getRows(0).getValues(0).getStringValue());
    assertFalse(execute("SELECT current_setting('application_name')").getRows(0).getValues(0).getStringValue()
        .equals("grpc-test"));
  }

  /** Error details of a failed call. */
  private static Error error(StatusRuntimeException e) {
    com.google.rpc.Status s = StatusProto.fromThrowable(e);
    assertNotNull(s, "the status has details");
    try {
      return s.getDetails(0).unpack(Error.class);
    } catch (com.google.protobuf.InvalidProtocolBufferException x) {
      throw new AssertionError(x);
    }
  }

  /** A StreamExecute reader that asks for one message to begin with and more only when told. */
  private static final class SlowReader implements ClientResponseObserver<QueryRequest, QueryResponse> {
    final AtomicReference<ClientCallStreamObserver<QueryRequest>> stream = new AtomicReference<>();
    final ConcurrentLinkedQueue<QueryResponse> received = new ConcurrentLinkedQueue<>();
    final AtomicReference<Throwable> error = new AtomicReference<>();
    final CountDownLatch done = new CountDownLatch(1);

    @Override
    public void beforeStart(ClientCallStreamObserver<QueryRequest> s) {
      s.disableAutoRequestWithInitial(1);
      stream.set(s);
    }

    @Override
    public void onNext(QueryResponse value) {
      received.add(value);
    }

    @Override
    public void onError(Throwable t) {
      error.set(t);
      done.countDown();
    }

    @Override
    public void onCompleted() {
      done.countDown();
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  private static double counter(String name) {
    for (MetricSnapshot m : server.registry().scrape()) {
      if (m.getMetadata().getName().equals(name) && m instanceof CounterSnapshot c) {
        return c.getDataPoints().isEmpty() ? 0 : c.getDataPoints().get(0).getValue();
      }
    }
    throw new AssertionError("no counter " + name);
  }

  private static double gauge(String name) {
    for (MetricSnapshot m : server.registry().scrape()) {
      if (m.getMetadata().getName().equals(name) && m instanceof GaugeSnapshot g) {
        return g.getDataPoints().isEmpty() ? 0 : g.getDataPoints().get(0).getValue();
      }
    }
    throw new AssertionError("no gauge " + name);
  }

  /** bytea, json, jsonb and numeric columns: typed values, type names, parameters as text and bytes. */
  @Test
  void byteaJsonNumericColumns() {
    execute("CREATE TABLE gtypes (b BYTEA, j JSON, jb JSONB, p NUMERIC(8, 3), u NUMERIC)");
    execute("INSERT INTO gtypes VALUES ($1, $2, $3, $4, $5)",
        Value.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {0, (byte) 0xfe})).build(),
        Value.newBuilder().setStringValue("{\"a\" : [1]}").build(),
        Value.newBuilder().setStringValue("{\"z\":1,\"a\":2}").build(),
        Value.newBuilder().setDecimalValue("1.2345").build(),
        Value.newBuilder().setStringValue("0.000000000000000000001").build());
    QueryResponse r = execute("SELECT b, j, jb, p, u, jb ->> 'a' FROM gtypes WHERE b = $1",
        Value.newBuilder().setStringValue("\\x00fe").build());
    assertEquals(List.of("VARBINARY", "JSON", "JSONB", "DECIMAL", "DECIMAL", "VARCHAR"),
        r.getColumnsList().stream().map(Column::getType).toList());
    Row row = r.getRows(0);
    assertArrayEquals(new byte[] {0, (byte) 0xfe}, row.getValues(0).getBytesValue().toByteArray());
    assertEquals("{\"a\" : [1]}", row.getValues(1).getStringValue());
    assertEquals("{\"a\": 2, \"z\": 1}", row.getValues(2).getStringValue());
    assertEquals("1.235", row.getValues(3).getDecimalValue());
    assertEquals("0.000000000000000000001", row.getValues(4).getDecimalValue());
    assertEquals("2", row.getValues(5).getStringValue());
  }
}

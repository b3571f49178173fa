package io.lumadb.server.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.lumadb.proto.query.Column;
import io.lumadb.proto.query.QueryRequest;
import io.lumadb.proto.query.QueryResponse;
import io.lumadb.proto.query.RowEncoding;
import io.lumadb.sql.ErrorCode;
import io.lumadb.sql.Errors;
import io.lumadb.sql.LumaException;
import io.lumadb.sql.PreparedQuery;
import io.lumadb.sql.ResultColumn;
import io.lumadb.sql.RowCursor;
import io.lumadb.sql.Session;
import io.lumadb.sql.SqlLexer;
import io.lumadb.sql.StatementResult;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.calcite.sql.type.SqlTypeName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Execute or StreamExecute call, run on a query thread of its own: opens a session for
 * the call's user, runs the statement and sends its result. The statement is computed and its
 * rows fetched on this one thread (the engine's cancellation is bound to it); the thread waits
 * while gRPC says the client is not ready for more, so a slow reader holds the query back
 * instead of making the server buffer its whole result. A client cancel (or passed deadline)
 * wakes it and cancels the statement.
 */
final class QueryCall implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(QueryCall.class);
  static final int DEFAULT_VALUES_ROWS = 1000;
  static final int DEFAULT_ARROW_ROWS = 16384;
  private static final int MAX_ROWS_PER_MESSAGE = 1_000_000;
  /** Streamed messages are cut at about this size (or half of max_message_bytes). */
  private static final long TARGET_MESSAGE_BYTES = 1 << 20;

  /** The call ended early: the client went away or the server is stopping. */
  private static final class Stopped extends RuntimeException {
    Stopped() {
      super(null, null, false, false);
    }
  }

  private final QueryServiceHandler service;
  private final QueryRequest request;
  private final ServerCallStreamObserver<QueryResponse> observer;
  private final boolean streaming;
  private final String user;
  private final Object lock = new Object();
  private boolean clientCancelled; // guarded by lock
  private boolean aborted; // guarded by lock
  private volatile Session session;
  // query thread only:
  private SessionPool.Pooled pooled; // the call's session until it goes back to the pool or is closed
  private StatementResult result; // the statement's result until it is sent
  private boolean query; // the statement is a query: its session is unchanged and may be pooled
  private boolean closed; // onCompleted or onError was called (query thread only)

  QueryCall(QueryServiceHandler service, QueryRequest request,
      ServerCallStreamObserver<QueryResponse> observer, boolean streaming, String user) {
    this.service = service;
    this.request = request;
    this.observer = observer;
    this.streaming = streaming;
    this.user = user;
    observer.setOnCancelHandler(this::clientCancelled);
    if (streaming) {
      observer.setOnReadyHandler(this::wake);
    }
  }

  /** gRPC: the client cancelled, disconnected or its deadline passed. */
  private void clientCancelled() {
    synchronized (lock) {
      clientCancelled = true;
      lock.notifyAll();
    }
    cancelStatement();
  }

  /** The server is stopping: the statement ends with UNAVAILABLE. */
  void abort() {
    synchronized (lock) {
      aborted = true;
      lock.notifyAll();
    }
    cancelStatement();
  }

  private void cancelStatement() {
    synchronized (lock) {
      if (session != null) {
        session.cancel();
      }
    }
  }

  private void wake() {
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  private boolean stopped() {
    synchronized (lock) {
      return clientCancelled || aborted;
    }
  }

  @Override
  public void run() {
    service.metrics().started();
    service.running().add(this);
    try {
      pooled = service.sessions().borrow(user, request.getSettingsMap());
      synchronized (lock) {
        session = pooled.session();
      }
      if (stopped()) {
        throw new Stopped();
      }
      runStatement(pooled.session());
    } catch (Throwable t) {
      fail(t);
    } finally {
      if (pooled != null) {
        releaseSession(false); // not handed back at completion: it ran more than a query, or failed
      }
      service.running().remove(this);
      service.metrics().finished();
    }
  }

  /**
   * Ends the call after its last message. The result is closed and, when the call ran only a
   * query, its session goes back to the pool before the client hears of the end, so that the
   * client's next call finds it there.
   */
  private void complete() {
    closed = true;
    if (result != null) {
      result.close();
      result = null;
    }
    if (query && pooled != null && !stopped()) {
      releaseSession(true);
    }
    observer.onCompleted();
  }

  /** Gives the session back to the pool ({@code keep}) or closes it; a late cancel no longer reaches it. */
  private void releaseSession(boolean keep) {
    synchronized (lock) {
      session = null;
    }
    if (keep) {
      service.sessions().giveBack(pooled);
    } else {
      service.sessions().discard(pooled);
    }
    pooled = null;
  }

  private void fail(Throwable t) {
    boolean cancelled;
    boolean stopping;
    synchronized (lock) {
      cancelled = clientCancelled;
      stopping = aborted;
    }
    if (cancelled) {
      service.metrics().cancelled(); // nobody is listening any more
      return;
    }
    if (closed) {
      LOG.warn("gRPC statement failed after its result was sent: {}", request.getQuery(), t);
      return;
    }
    LumaException e;
    if (stopping) {
      e = new LumaException("57P01", "terminating statement: the server is shutting down");
    } else if (t instanceof OutOfMemoryException) {
      e = new LumaException("53200", "out of memory encoding the result: " + t.getMessage());
    } else {
      e = Errors.translate(t, request.getQuery());
    }
    if (e.sqlState().startsWith("XX")) {
      LOG.warn("gRPC statement failed: {}", request.getQuery(), t);
    }
    closed = true;
    observer.onError(GrpcErrors.toStatus(e));
  }

  /** Runs the call's statement and sends its result. */
  private void runStatement(Session s) {
    String sql = request.getQuery();
    if (sql.isBlank()) {
      throw new LumaException(ErrorCode.E003, "empty query: QueryRequest.query holds no statement");
    }
    if (SqlLexer.split(sql).size() > 1) {
      throw new LumaException("42601", "one statement per request: this query holds "
          + SqlLexer.split(sql).size());
    }
    PreparedQuery prepared = null;
    query = PreparedQuery.isQuery(sql); // planned once per pooled session, kept with it
    try {
      if (request.getParamsCount() == 0 && !query) {
        result = s.execute(sql);
      } else {
        List<SqlTypeName> declared = new ArrayList<>(request.getParamsCount());
        request.getParamsList().forEach(v -> declared.add(ProtoValues.declaredType(v)));
        prepared = query ? service.sessions().plan(pooled, sql, declared) : s.prepare(sql, declared);
        // Calcite binds typed values; other statements take their parameters as literals
        boolean asLiteral = prepared.columns() == null || prepared.columns().isEmpty();
        List<SqlTypeName> types = prepared.paramTypes();
        List<Object> values = new ArrayList<>(request.getParamsCount());
        for (int i = 0; i < request.getParamsCount(); i++) {
          values.add(ProtoValues.toParam(request.getParams(i), i < types.size() ? types.get(i) : null,
              asLiteral, i + 1, s.settings().zone()));
        }
        result = prepared.execute(values);
      }
      send(result);
    } finally {
      if (result != null) {
        result.close();
        result = null;
      }
      if (prepared != null && !query) {
        prepared.close();
      }
    }
  }

  private void send(StatementResult result) {
    if (result instanceof StatementResult.Rows r) {
      sendRows(r.columns(), r.cursor(), r.commandWord().equals("SELECT") ? "SELECT " : r.commandWord());
    } else if (result instanceof StatementResult.CopyOut c) {
      sendRows(c.rows().columns(), c.rows().cursor(), "COPY ");
    } else if (result instanceof StatementResult.Command c) {
      sendMessage(QueryResponse.newBuilder().setCommandTag(c.tag()).setRowCount(c.affectedRows()), 0);
      complete();
    } else {
      throw new LumaException("0A000", "COPY FROM STDIN is not supported over gRPC:"
          + " use INSERT (with params, or INSERT ... SELECT)");
    }
  }

  /** @param tag "SELECT " and "COPY " get the row count appended; other words stand alone */
  private void sendRows(List<ResultColumn> columns, RowCursor cursor, String tag) {
    boolean arrow = request.getEncoding() == RowEncoding.ROW_ENCODING_ARROW_IPC;
    int maxRows = request.getMaxRowsPerMessage() > 0
        ? Math.min(request.getMaxRowsPerMessage(), MAX_ROWS_PER_MESSAGE)
        : arrow ? DEFAULT_ARROW_ROWS : DEFAULT_VALUES_ROWS;
    long limit = service.config().maxMessageBytes();
    long target = Math.min(TARGET_MESSAGE_BYTES, limit / 2);
    QueryResponse.Builder message = QueryResponse.newBuilder();
    for (ResultColumn c : columns) {
      message.addColumns(Column.newBuilder().setName(c.name()).setType(c.typeName())
          .setPrecision(c.precision()).setScale(c.scale()));
    }
    try (RowBatchEncoder encoder = arrow
        ? new ArrowIpcEncoder(columns, service.queryAllocator())
        : new ValueRowsEncoder(columns.size())) {
      long total = 0;
      while (cursor.next()) {
        encoder.add(cursor);
        total++;
        if (streaming) {
          if (encoder.pendingRows() >= maxRows || encoder.pendingBytes() >= target) {
            int rows = encoder.pendingRows();
            encoder.takeInto(message);
            sendMessage(message, rows);
            message = QueryResponse.newBuilder();
          }
        } else {
          if (encoder.pendingRows() % maxRows == 0) {
            encoder.cutBatch();
          }
          if (encoder.pendingBytes() > limit) {
            throw tooLarge(encoder.pendingBytes());
          }
        }
        if ((total & 1023) == 0 && stopped()) {
          throw new Stopped();
        }
      }
      int rows = encoder.pendingRows();
      if (rows > 0 || total == 0) {
        encoder.takeInto(message);
      }
      message.setCommandTag(tag.endsWith(" ") ? tag + total : tag).setRowCount(total);
      sendMessage(message, rows);
    }
    complete();
  }

  private LumaException tooLarge(long bytes) {
    return new LumaException("54000", "the result needs a message of more than " + bytes
        + " bytes, over grpc.max_message_bytes (" + service.config().maxMessageBytes() + ")"
        + (streaming ? ": a single row is too large" : ": use StreamExecute, or LIMIT"));
  }

  private void sendMessage(QueryResponse.Builder builder, int rows) {
    QueryResponse message = builder.build();
    int size = message.getSerializedSize();
    if (size > service.config().maxMessageBytes()) {
      throw tooLarge(size);
    }
    if (streaming) {
      awaitReady();
    } else if (stopped()) {
      throw new Stopped();
    }
    observer.onNext(message);
    service.metrics().sent(rows);
  }

  /** Waits until gRPC's outbound buffer has room (onReady), or the call is stopped. */
  private void awaitReady() {
    synchronized (lock) {
      while (!clientCancelled && !aborted && !observer.isReady()) {
        try {
          lock.wait(1000); // onReady notifies; the timeout only guards against a lost wake-up
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          aborted = true;
        }
      }
      if (clientCancelled || aborted) {
        throw new Stopped();
      }
    }
  }
}

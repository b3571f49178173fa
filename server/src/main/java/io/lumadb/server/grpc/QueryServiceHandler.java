package io.lumadb.server.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.lumadb.proto.query.QueryRequest;
import io.lumadb.proto.query.QueryResponse;
import io.lumadb.proto.query.QueryServiceGrpc;
import io.lumadb.sql.ErrorCode;
import io.lumadb.sql.LumaException;
import io.lumadb.sql.SqlEngine;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.apache.arrow.memory.BufferAllocator;

/**
 * {@code lumadb.query.v1.QueryService}: each call gets a session of its own for the authenticated
 * user and the call's settings (borrowed from {@link SessionPool}, with the plans of the queries
 * it ran before) and a query thread; gRPC's callback threads never run SQL.
 */
final class QueryServiceHandler extends QueryServiceGrpc.QueryServiceImplBase {
  private final SqlEngine engine;
  private final GrpcQueryConfig config;
  private final GrpcQueryMetrics metrics;
  private final BufferAllocator allocator;
  private final ExecutorService queries;
  private final Set<QueryCall> running = ConcurrentHashMap.newKeySet();
  private final SessionPool sessions;

  QueryServiceHandler(SqlEngine engine, GrpcQueryConfig config, GrpcQueryMetrics metrics,
      BufferAllocator allocator, ExecutorService queries) {
    this.engine = engine;
    this.config = config;
    this.metrics = metrics;
    this.allocator = allocator;
    this.queries = queries;
    this.sessions = new SessionPool(engine, metrics);
  }

  @Override
  public void execute(QueryRequest request, StreamObserver<QueryResponse> observer) {
    start(request, observer, false, "Execute");
  }

  @Override
  public void streamExecute(QueryRequest request, StreamObserver<QueryResponse> observer) {
    start(request, observer, true, "StreamExecute");
  }

  private void start(QueryRequest request, StreamObserver<QueryResponse> observer, boolean streaming,
      String method) {
    metrics.call(method);
    String user = BasicAuthInterceptor.USER.get();
    QueryCall call = new QueryCall(this, request, (ServerCallStreamObserver<QueryResponse>) observer,
        streaming, user != null ? user : config.user());
    try {
      queries.execute(call);
    } catch (RejectedExecutionException e) {
      observer.onError(GrpcErrors.toStatus(new LumaException(ErrorCode.E002,
          "too many statements running over gRPC (grpc.max_concurrent_queries = "
              + config.maxConcurrentQueries() + "); retry later")));
    }
  }

  /** Stops every running call (server shutdown). */
  void abortAll() {
    running.forEach(QueryCall::abort);
  }

  /** Closes the idle sessions (server shutdown, after the calls ended). */
  void closeSessions() {
    sessions.close();
  }

  SessionPool sessions() {
    return sessions;
  }

  SqlEngine engine() {
    return engine;
  }

  GrpcQueryConfig config() {
    return config;
  }

  GrpcQueryMetrics metrics() {
    return metrics;
  }

  Set<QueryCall> running() {
    return running;
  }

  /** A child allocator for one call's Arrow vectors, limited relative to the message size. */
  BufferAllocator queryAllocator() {
    long limit = 4L * config.maxMessageBytes() + (16L << 20);
    return allocator.newChildAllocator("grpc-query", 0, limit);
  }
}

package io.lumadb.server.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;

/**
 * HTTP Basic authentication from call metadata ({@code authorization: Basic
 * base64(user:password)}), checked before the call starts: a call without valid credentials
 * is closed with UNAUTHENTICATED and E001 and never reaches the SQL engine. The user name
 * goes into the call's {@link Context} ({@link #USER}).
 */
final class BasicAuthInterceptor implements ServerInterceptor {
  static final Context.Key<String> USER = Context.key("lumadb-user");
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final GrpcQueryConfig config;
  private final PasswordCheck password;
  private final GrpcQueryMetrics metrics;

  BasicAuthInterceptor(GrpcQueryConfig config, GrpcQueryMetrics metrics) {
    this.config = config;
    this.password = new PasswordCheck(config.password());
    this.metrics = metrics;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String[] credentials = PasswordCheck.basicCredentials(headers.get(AUTHORIZATION));
    String user;
    if (!config.authRequired()) {
      user = credentials != null ? credentials[0] : config.user();
    } else if (credentials == null) {
      return refuse(call, "authentication required: send the metadata"
          + " \"authorization: Basic base64(user:password)\"");
    } else if (!credentials[0].equals(config.user()) || !password.matches(credentials[1])) {
      return refuse(call, "password authentication failed for user \"" + credentials[0] + "\"");
    } else {
      user = credentials[0];
    }
    return Contexts.interceptCall(Context.current().withValue(USER, user), call, headers, next);
  }

  private <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, String message) {
    metrics.authenticationFailed();
    StatusRuntimeException e = GrpcErrors.authenticationFailed(message);
    call.close(e.getStatus(), e.getTrailers());
    return new ServerCall.Listener<>() {};
  }

}

package io.lumadb.server.avatica;

import io.lumadb.server.grpc.PasswordCheck;
import io.lumadb.sql.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Avatica's protobuf handler behind HTTP Basic authentication against the [postgres] login
 * (plain or SCRAM verifier). A request without credentials gets the 401 challenge the driver
 * answers with {@code avatica_user}/{@code avatica_password}; wrong credentials get an Avatica
 * error response (E001, SQLSTATE 28P01) that the driver raises as the connection's error, and
 * the request never reaches the engine. The authenticated user is handed to {@link LumaMeta}
 * for the session.
 */
final class BasicAuthProtobufHandler extends org.apache.calcite.avatica.server.AvaticaProtobufHandler {
  private static final Logger LOG = LoggerFactory.getLogger(BasicAuthProtobufHandler.class);

  private final AvaticaConfig config;
  private final PasswordCheck password;
  private final AvaticaMetrics metrics;
  private final ProtobufTranslationImpl translation = new ProtobufTranslationImpl();
  private volatile Service.RpcMetadataResponse serverMetadata;

  BasicAuthProtobufHandler(Service service, AvaticaConfig config, AvaticaMetrics metrics) {
    super(service);
    this.config = config;
    this.password = new PasswordCheck(config.password());
    this.metrics = metrics;
  }

  @Override
  public void setServerRpcMetadata(Service.RpcMetadataResponse metadata) {
    super.setServerRpcMetadata(metadata);
    serverMetadata = metadata;
  }

  @Override
  public void handle(String target, Request baseRequest, HttpServletRequest request,
      HttpServletResponse response) throws IOException, ServletException {
    String[] credentials = PasswordCheck.basicCredentials(request.getHeader("Authorization"));
    String user;
    if (!config.authRequired()) {
      user = credentials != null ? credentials[0] : config.user();
    } else if (credentials == null) {
      // the driver sends credentials only when challenged (then on every request)
      response.setHeader("WWW-Authenticate", "Basic realm=\"LumaDB\", charset=\"UTF-8\"");
      response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
      response.setContentType("text/plain;charset=utf-8");
      response.getOutputStream().write(("E001: authentication required: connect with the properties"
          + " authentication=BASIC, avatica_user and avatica_password").getBytes(StandardCharsets.UTF_8));
      baseRequest.setHandled(true);
      return;
    } else if (!credentials[0].equals(config.user()) || !password.matches(credentials[1])) {
      metrics.authenticationFailed();
      LOG.debug("Avatica request from {} refused: wrong credentials for user {}",
          request.getRemoteAddr(), credentials[0]);
      refuse(baseRequest, response, "password authentication failed for user \"" + credentials[0] + "\"");
      return;
    } else {
      user = credentials[0];
    }
    LumaMeta.AUTHENTICATED_USER.set(user);
    try {
      super.handle(target, baseRequest, request, response);
    } finally {
      LumaMeta.AUTHENTICATED_USER.remove();
    }
  }

  /** An Avatica error response (HTTP 500, which the driver reads) with E001 / 28P01. */
  private void refuse(Request baseRequest, HttpServletResponse response, String message) throws IOException {
    Service.ErrorResponse error = new Service.ErrorResponse(List.of(), ErrorCode.E001.name() + ": " + message,
        ErrorCode.E001.ordinal() + 1, ErrorCode.E001.sqlState(), AvaticaSeverity.FATAL, serverMetadata);
    response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
    response.setContentType("application/octet-stream;charset=utf-8");
    response.getOutputStream().write(translation.serializeResponse(error));
    baseRequest.setHandled(true);
  }

}

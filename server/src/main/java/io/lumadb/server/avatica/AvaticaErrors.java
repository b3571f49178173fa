package io.lumadb.server.avatica;

import io.lumadb.sql.ErrorCode;
import io.lumadb.sql.Errors;
import io.lumadb.sql.LumaException;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;

/**
 * LumaDB's errors as Avatica error responses: the message keeps the E-code prefix, the SQLSTATE
 * becomes the client's {@code SQLException.getSQLState()}, and the error code is the number
 * of the E-code (1 for E001 ...) or 0.
 */
final class AvaticaErrors {
  private AvaticaErrors() {}

  static AvaticaRuntimeException toAvatica(LumaException e) {
    int code = e.code().map(c -> c.ordinal() + 1).orElse(0);
    AvaticaSeverity severity = e.code().filter(c -> c == ErrorCode.E001).isPresent()
        ? AvaticaSeverity.FATAL : AvaticaSeverity.ERROR;
    return new AvaticaRuntimeException(e.getMessage() == null ? e.sqlState() : e.getMessage(), code,
        e.sqlState(), severity);
  }

  /** Whatever a statement threw, as the error the client sees. */
  static AvaticaRuntimeException translate(Throwable t, String sql) {
    if (t instanceof AvaticaRuntimeException a) {
      return a;
    }
    return toAvatica(Errors.translate(t, sql));
  }
}

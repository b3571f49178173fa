package io.lumadb.sql;

import java.util.Optional;

/**
 * An error a client sees: a PostgreSQL SQLSTATE and, where one fits, an API error code, which
 * also starts the message ("E004: relation "x" does not exist"). Protocols translate it
 * (pgwire ErrorResponse, HTTP status, gRPC status) without reading the message.
 */
public class LumaException extends RuntimeException {
  private final String sqlState;
  private final ErrorCode code;
  private String detail;
  private String hint;

  public LumaException(ErrorCode code, String message) {
    this(code, code.sqlState(), message, null);
  }

  public LumaException(ErrorCode code, String message, Throwable cause) {
    this(code, code.sqlState(), message, cause);
  }

  /** An error with a SQLSTATE only. */
  public LumaException(String sqlState, String message) {
    this(null, sqlState, message, null);
  }

  public LumaException(ErrorCode code, String sqlState, String message, Throwable cause) {
    super(code == null ? message : code.name() + ": " + message, cause);
    this.code = code;
    this.sqlState = sqlState;
  }

  public String sqlState() {
    return sqlState;
  }

  /** PostgreSQL's DETAIL line (pgwire sends it; other front ends have only the message). */
  public Optional<String> detail() {
    return Optional.ofNullable(detail);
  }

  /** PostgreSQL's HINT line. */
  public Optional<String> hint() {
    return Optional.ofNullable(hint);
  }

  public LumaException withDetail(String detail) {
    this.detail = detail;
    return this;
  }

  public LumaException withHint(String hint) {
    this.hint = hint;
    return this;
  }

  public Optional<ErrorCode> code() {
    return Optional.ofNullable(code);
  }

  /** The error code, or E005 when the error has none (for counting by code). */
  public ErrorCode codeOrInternal() {
    return code == null ? ErrorCode.E005 : code;
  }

  /** HTTP status for HTTP front ends. */
  public int httpStatus() {
    return code != null ? code.httpStatus() : sqlState.startsWith("XX") ? 500 : 400;
  }
}

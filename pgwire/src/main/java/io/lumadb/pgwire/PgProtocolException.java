package io.lumadb.pgwire;

/** A client broke the protocol: the connection gets an error and is closed. */
final class PgProtocolException extends RuntimeException {
  private final String sqlState;

  PgProtocolException(String sqlState, String message) {
    super(message);
    this.sqlState = sqlState;
  }

  String sqlState() {
    return sqlState;
  }
}

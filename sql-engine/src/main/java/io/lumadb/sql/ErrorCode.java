package io.lumadb.sql;

/** The API reference's error codes, each with its default SQLSTATE and HTTP status. */
public enum ErrorCode {
  E001("authentication failed", "28P01", 401),
  E002("rate limit exceeded", "53400", 429),
  E003("invalid query syntax", "42601", 400),
  E004("table not found", "42P01", 404),
  E005("internal error", "XX000", 500);

  private final String meaning;
  private final String sqlState;
  private final int httpStatus;

  ErrorCode(String meaning, String sqlState, int httpStatus) {
    this.meaning = meaning;
    this.sqlState = sqlState;
    this.httpStatus = httpStatus;
  }

  public String meaning() {
    return meaning;
  }

  public String sqlState() {
    return sqlState;
  }

  public int httpStatus() {
    return httpStatus;
  }
}

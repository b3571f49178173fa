package io.lumadb.ingest;

/** A request that cannot be taken: the HTTP status to answer and why. Nothing was written. */
public final class IngestException extends RuntimeException {
  private final int status;

  public IngestException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}

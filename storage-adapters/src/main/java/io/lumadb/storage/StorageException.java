package io.lumadb.storage;

/**
 * A storage failure a client can be told about. {@link Kind} lets the protocol layers pick
 * the right error code without reading the message.
 */
public class StorageException extends RuntimeException {
  /** What went wrong, coarsely. */
  public enum Kind {
    /** The request itself is wrong (duplicate column, type mismatch, ...). */
    INVALID,
    /** The named table or schema does not exist. */
    NOT_FOUND,
    /** The object being created exists already. */
    ALREADY_EXISTS,
    /** The named object is of the wrong kind (DROP TABLE on a view, DROP VIEW on a table). */
    WRONG_OBJECT_TYPE,
    /** Two rows would have the same key in a unique index. */
    UNIQUE_VIOLATION,
    /** A limit is reached; retrying later may succeed. */
    OVERLOADED,
    /** Anything else: an I/O failure, a bug. */
    INTERNAL
  }

  private final Kind kind;

  public StorageException(String message) {
    this(Kind.INVALID, message, null);
  }

  public StorageException(Kind kind, String message) {
    this(kind, message, null);
  }

  public StorageException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}

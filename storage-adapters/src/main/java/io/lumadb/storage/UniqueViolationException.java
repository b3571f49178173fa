package io.lumadb.storage;

import java.util.List;

/**
 * A write or a CREATE UNIQUE INDEX found two rows with the same key in a unique index. Carries
 * what PostgreSQL reports: the index, its key columns and the key, already in PostgreSQL's text
 * form.
 */
public final class UniqueViolationException extends StorageException {
  private final String index;
  private final List<String> columns;
  private final List<String> key;
  private final boolean creating;

  UniqueViolationException(String index, List<String> columns, List<String> key, boolean creating) {
    super(Kind.UNIQUE_VIOLATION, creating ? "could not create unique index \"" + index + "\""
        : "duplicate key value violates unique constraint \"" + index + "\"");
    this.index = index;
    this.columns = List.copyOf(columns);
    this.key = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(key));
    this.creating = creating;
  }

  public String index() {
    return index;
  }

  /** PostgreSQL's DETAIL: {@code Key (a, b)=(1, x) already exists.} or {@code ... is duplicated.} */
  public String detail() {
    return "Key (" + String.join(", ", columns) + ")=(" + String.join(", ", key) + ") "
        + (creating ? "is duplicated." : "already exists.");
  }
}

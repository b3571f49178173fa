package io.lumadb.sql;

import java.util.List;

/** What executing one statement gives: rows, or a command completion tag. */
public sealed interface StatementResult extends AutoCloseable {
  /**
   * Rows to send. {@code commandWord} starts the completion tag ("SELECT", "SHOW", "EXPLAIN"),
   * to which the protocol adds the row count where PostgreSQL does.
   */
  record Rows(List<ResultColumn> columns, RowCursor cursor, String commandWord)
      implements StatementResult {
    @Override
    public void close() {
      cursor.close();
    }
  }

  /** COPY FROM STDIN: the protocol feeds the client's data to {@code sink}. */
  record CopyInStarted(CopyIn sink) implements StatementResult {
    @Override
    public void close() {}
  }

  /** COPY TO STDOUT: rows to send in the given format; the tag is "COPY n". */
  record CopyOut(Rows rows, CopyFormat format) implements StatementResult {
    @Override
    public void close() {
      rows.close();
    }
  }

  /** A command without rows and its completion tag, e.g. "INSERT 0 3" or "CREATE TABLE". */
  record Command(String tag) implements StatementResult {
    /** The count at the end of an INSERT/UPDATE/DELETE/COPY/MERGE tag ("INSERT 0 3" is 3), else 0. */
    public long affectedRows() {
      String[] words = tag.split(" ");
      if (words.length < 2 || !java.util.List.of("INSERT", "UPDATE", "DELETE", "COPY", "MERGE").contains(words[0])) {
        return 0;
      }
      try {
        return Long.parseLong(words[words.length - 1]);
      } catch (NumberFormatException e) {
        return 0;
      }
    }

    @Override
    public void close() {}
  }

  @Override
  void close();
}

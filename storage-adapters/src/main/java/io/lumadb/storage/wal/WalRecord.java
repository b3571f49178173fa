package io.lumadb.storage.wal;

import io.lumadb.storage.Column;
import io.lumadb.storage.ColumnBatch;
import io.lumadb.storage.TableId;
import io.lumadb.storage.TableSchema;

/**
 * What the write-ahead log holds: every change to the catalog and every appended batch, in
 * the order they happened. {@code tableId} is the catalog's numeric id, never reused, so a
 * batch for a dropped table is recognizable on replay.
 */
public sealed interface WalRecord {
  byte CREATE_TABLE = 1;
  byte DROP_TABLE = 2;
  byte ADD_COLUMN = 3;
  /** An appended batch in the first encoding (strings spelled out per row); still read. */
  byte APPEND = 4;
  /** An appended batch whose string columns are dictionary-coded per batch; still read. */
  byte APPEND_DICT = 5;
  /**
   * An appended batch whose string columns are each either dictionary-coded per batch or, when
   * mostly distinct (log bodies, ids), spelled out; a byte per column says which (written now).
   */
  byte APPEND_MIXED = 6;

  long tableId();

  record CreateTable(long tableId, TableId name, TableSchema schema, String options)
      implements WalRecord {}

  record DropTable(long tableId) implements WalRecord {}

  record AddColumn(long tableId, Column column) implements WalRecord {}

  record Append(long tableId, ColumnBatch batch) implements WalRecord {}
}

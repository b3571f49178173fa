package io.lumadb.storage.calcite;

import io.lumadb.storage.Column;
import io.lumadb.storage.ColumnReader;

/**
 * A query's result read straight from the column vectors of the parts it scans, a run of rows
 * (one part's rows that passed the filters) at a time: what a front end encodes without building
 * a row object or a boxed value. Given by {@link QueryCancellation#takeResult()} after a query whose
 * plan is one LumaDB scan ({@link ResultScan}) started; the rows are then read here, not through
 * Calcite's result set.
 */
public interface ResultVectors {
  /** Moves to the next run of rows; false when there is none left. */
  boolean nextBatch();

  /** How many rows the current run has. */
  int batchSize();

  /** The position, in the table columns' readers of the current run, of its {@code i}-th row. */
  int row(int i);

  /**
   * The reader of result column {@code c} in the current run: a table column's, read at
   * {@link #row}{@code (i)}, or, when {@link #positional}, a computed column's, read at {@code i}.
   */
  ColumnReader column(int c);

  /** Whether column {@code c} is computed for the run, its reader indexed by the row's place in it. */
  default boolean positional(int c) {
    return false;
  }

  /** The table column that result column {@code c} is (its type, and precision for NUMERIC). */
  Column schemaColumn(int c);

  /** How many columns each row has. */
  int width();
}

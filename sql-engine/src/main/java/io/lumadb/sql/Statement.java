package io.lumadb.sql;

import io.lumadb.storage.TableId;
import io.lumadb.storage.TableSchema;
import java.util.List;

/** A statement as the engine dispatches it; everything not listed goes to Calcite as a query. */
public sealed interface Statement {
  /** {@code options} as {@code key=value,...}, see TableOptions. */
  record CreateTable(TableId table, TableSchema schema, boolean ifNotExists, String options)
      implements Statement {}

  record DropTable(List<TableId> tables, boolean ifExists, boolean cascade) implements Statement {}

  /** ALTER TABLE [IF EXISTS] t ADD [COLUMN] [IF NOT EXISTS] c type [, ADD ...]. */
  record AlterTableAddColumns(TableId table, boolean ifExists, List<AddColumn> columns)
      implements Statement {}

  /** One ADD COLUMN of an ALTER TABLE. */
  record AddColumn(io.lumadb.storage.Column column, boolean ifNotExists) {}

  /**
   * CREATE [OR REPLACE] VIEW v [(columns)] AS query; {@code columns} is empty when the query
   * names them.
   */
  record CreateView(TableId view, List<String> columns, String query, boolean orReplace)
      implements Statement {}

  record DropView(List<TableId> views, boolean ifExists, boolean cascade) implements Statement {}

  /**
   * CREATE [UNIQUE] INDEX [IF NOT EXISTS] [name] ON table [USING btree] (column [ASC|DESC]
   * [NULLS FIRST|LAST], ...); {@code name} is null when PostgreSQL would choose one.
   */
  record CreateIndex(String name, TableId table, List<io.lumadb.storage.IndexDefinition.IndexColumn> columns,
      boolean unique, boolean ifNotExists) implements Statement {}

  /** DROP INDEX [IF EXISTS] name [, ...] [CASCADE|RESTRICT]; unqualified names are in public. */
  record DropIndex(List<TableId> indexes, boolean ifExists, boolean cascade) implements Statement {}

  /** INSERT INTO table [(columns)] source; {@code columns} is empty for "all, in order". */
  record Insert(TableId table, List<String> columns, String sourceSql) implements Statement {}

  /** DELETE FROM t [[AS] alias] [WHERE condition]: {@code where} null deletes every row. */
  record Delete(TableId table, String alias, String where) implements Statement {}

  /** TRUNCATE [TABLE] t, ...: every row of each table. */
  record Truncate(List<TableId> tables) implements Statement {}

  record Set(String name, String value) implements Statement {}

  record Reset(String name) implements Statement {}

  record Show(String name) implements Statement {}

  /** BEGIN/START TRANSACTION, COMMIT/END, ROLLBACK/ABORT. */
  record Transaction(String tag) implements Statement {}

  /** DEALLOCATE [PREPARE] name | ALL; {@code name} is null for ALL. */
  record Deallocate(String name) implements Statement {}

  /**
   * COPY table [(columns)] FROM STDIN, or COPY table|(query) TO STDOUT. {@code query} is set
   * for COPY (query) TO; {@code columns} is empty for "all".
   */
  record Copy(TableId table, List<String> columns, String query, boolean in, CopyFormat format)
      implements Statement {}

  /** A query (or anything else) for Calcite. */
  record Query(String sql) implements Statement {}
}

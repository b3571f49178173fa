package io.lumadb.ingest.otlp;

import io.lumadb.ingest.FixedTable;
import io.lumadb.storage.Column;
import io.lumadb.storage.ColumnBatch;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.LumaTable;
import io.lumadb.storage.StorageEngine;
import io.lumadb.storage.TableId;
import io.lumadb.storage.TableSchema;
import java.util.List;

/**
 * The tables {@code otel.logs} and {@code otel.spans}: their columns, and creating them (or the
 * columns a table made by an older version lacks) on first use.
 *
 * <p>Times are kept exactly as OTLP sends them, in nanoseconds since the epoch
 * ({@code BIGINT}); {@code ts} is the same instant as a millisecond {@code TIMESTAMP}, the
 * table's time column, for time-range queries and pruning. Ids are lowercase hex. Attributes
 * are JSON objects in text columns, read by key with
 * {@code JSON_VALUE(attributes, '$."http.method"')}. {@code otel.logs.body} has the full-text
 * index, so {@code text_match(body, 'words')} is answered from it.
 */
public final class OtelTables {
  public static final TableId LOGS = new TableId("otel", "logs");
  public static final TableId SPANS = new TableId("otel", "spans");

  /** Columns of {@code otel.logs}. */
  public static final TableSchema LOGS_SCHEMA = new TableSchema(List.of(
      Column.of("ts", ColumnType.TIMESTAMP),
      Column.of("time_unix_nano", ColumnType.BIGINT),
      Column.of("observed_time_unix_nano", ColumnType.BIGINT),
      Column.of("severity_number", ColumnType.INTEGER),
      Column.of("severity_text", ColumnType.VARCHAR),
      Column.of("body", ColumnType.VARCHAR),
      Column.of("attributes", ColumnType.VARCHAR),
      Column.of("trace_id", ColumnType.VARCHAR),
      Column.of("span_id", ColumnType.VARCHAR),
      Column.of("flags", ColumnType.BIGINT),
      Column.of("event_name", ColumnType.VARCHAR),
      Column.of("service_name", ColumnType.VARCHAR),
      Column.of("resource_attributes", ColumnType.VARCHAR),
      Column.of("scope_name", ColumnType.VARCHAR),
      Column.of("scope_version", ColumnType.VARCHAR),
      Column.of("scope_attributes", ColumnType.VARCHAR)));
  /**
   * Warm files sorted by service, severity, then time (ClickHouse's OpenTelemetry schema orders
   * logs the same way): sorting by every text column would rank each unique body and id.
   */
  static final String LOGS_OPTIONS = "timestamp=ts,index=body,sort=service_name severity_text";

  /** Columns of {@code otel.spans}. */
  public static final TableSchema SPANS_SCHEMA = new TableSchema(List.of(
      Column.of("ts", ColumnType.TIMESTAMP),
      Column.of("start_time_unix_nano", ColumnType.BIGINT),
      Column.of("end_time_unix_nano", ColumnType.BIGINT),
      Column.of("duration_nano", ColumnType.BIGINT),
      Column.of("trace_id", ColumnType.VARCHAR),
      Column.of("span_id", ColumnType.VARCHAR),
      Column.of("parent_span_id", ColumnType.VARCHAR),
      Column.of("trace_state", ColumnType.VARCHAR),
      Column.of("name", ColumnType.VARCHAR),
      Column.of("kind", ColumnType.VARCHAR),
      Column.of("status_code", ColumnType.VARCHAR),
      Column.of("status_message", ColumnType.VARCHAR),
      Column.of("flags", ColumnType.BIGINT),
      Column.of("attributes", ColumnType.VARCHAR),
      Column.of("events", ColumnType.VARCHAR),
      Column.of("links", ColumnType.VARCHAR),
      Column.of("service_name", ColumnType.VARCHAR),
      Column.of("resource_attributes", ColumnType.VARCHAR),
      Column.of("scope_name", ColumnType.VARCHAR),
      Column.of("scope_version", ColumnType.VARCHAR),
      Column.of("scope_attributes", ColumnType.VARCHAR)));
  /** Sorted by service, span name, then time, for the same reason as logs. */
  static final String SPANS_OPTIONS = "timestamp=ts,sort=service_name name";

  private static final FixedTable LOGS_TABLE = new FixedTable(LOGS, LOGS_SCHEMA, LOGS_OPTIONS);
  private static final FixedTable SPANS_TABLE = new FixedTable(SPANS, SPANS_SCHEMA, SPANS_OPTIONS);

  private final StorageEngine engine;

  public OtelTables(StorageEngine engine) {
    this.engine = engine;
  }

  /** Appends a batch of {@link #LOGS_SCHEMA} or {@link #SPANS_SCHEMA} rows, durably, all or nothing. */
  public void append(TableId id, ColumnBatch batch) {
    if (batch.rowCount() == 0) {
      return;
    }
    engine.checkWritable();
    engine.append(ensure(id), batch);
  }

  /** Creates the table, or adds the columns it lacks. */
  LumaTable ensure(TableId id) {
    return id.equals(LOGS) ? LOGS_TABLE.ensure(engine) : SPANS_TABLE.ensure(engine);
  }
}

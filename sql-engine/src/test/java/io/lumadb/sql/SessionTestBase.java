package io.lumadb.sql;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lumadb.storage.StorageConfig;
import io.lumadb.storage.StorageEngine;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A session over a storage engine (in memory or in a temporary directory) for DDL/DML tests. */
abstract class SessionTestBase {
  @TempDir
  Path dir;

  StorageEngine storage;
  SqlEngine engine;
  Session session;

  void open(boolean durable) throws Exception {
    StorageConfig config = StorageConfig.DEFAULTS.withSealRows(2);
    storage = durable ? StorageEngine.open(dir, config) : new StorageEngine(config);
    engine = new SqlEngine(storage, new PrometheusRegistry());
    session = engine.openSession("lumadb", "test", Map.of());
  }

  void close() {
    if (session != null) {
      session.close();
      storage.close(); // throws if any Arrow buffer leaked
      session = null;
    }
  }

  @AfterEach
  void tearDown() {
    close();
  }

  List<String> rows(String sql) {
    try (StatementResult r = session.execute(sql)) {
      StatementResult.Rows rows = (StatementResult.Rows) r;
      List<String> out = new ArrayList<>();
      while (rows.cursor().next()) {
        Object[] row = new Object[rows.columns().size()];
        for (int i = 0; i < row.length; i++) {
          row[i] = rows.cursor().get(i);
        }
        out.add(Arrays.toString(row));
      }
      return out;
    }
  }

  /** The rows' values as the cursor gives them (RowCursor's types). */
  List<List<Object>> values(String sql) {
    try (StatementResult r = session.execute(sql)) {
      return ResultValues.of((StatementResult.Rows) r);
    }
  }

  List<ResultColumn> columns(String sql) {
    try (StatementResult r = session.execute(sql)) {
      return ((StatementResult.Rows) r).columns();
    }
  }

  String command(String sql) {
    try (StatementResult r = session.execute(sql)) {
      return ((StatementResult.Command) r).tag();
    }
  }

  LumaException error(String sql) {
    return assertThrows(LumaException.class, () -> session.execute(sql).close());
  }

  String sqlState(String sql) {
    return error(sql).sqlState();
  }
}

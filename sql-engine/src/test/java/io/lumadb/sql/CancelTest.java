package io.lumadb.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.storage.StorageConfig;
import io.lumadb.storage.StorageEngine;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A long query can be cancelled (CancelRequest) or time out (statement_timeout), with 57014. */
class CancelTest {
  static String bigCrossJoin = "SELECT count(*) FROM big a, big b, big c WHERE a.x + b.x + c.x = -1";

  static Session session(StorageEngine storage) {
    Session s = new SqlEngine(storage, new PrometheusRegistry()).openSession("lumadb", "test", Map.of());
    s.execute("CREATE TABLE IF NOT EXISTS big (x INT)").close();
    StringBuilder sql = new StringBuilder("INSERT INTO big VALUES (0)");
    for (int i = 1; i < 3000; i++) {
      sql.append(", (").append(i).append(')');
    }
    if (s.execute("SELECT count(*) FROM big") instanceof StatementResult.Rows r) {
      r.cursor().next();
      if (((Number) r.cursor().get(0)).longValue() == 0) {
        s.execute(sql.toString()).close();
      }
      r.close();
    }
    return s;
  }

  static void drain(StatementResult r) {
    try (r) {
      if (r instanceof StatementResult.Rows rows) {
        while (rows.cursor().next()) {
          rows.cursor().get(0);
        }
      }
    }
  }

  @Test
  void cancelStopsARunningQuery() throws Exception {
    try (StorageEngine storage = new StorageEngine(StorageConfig.DEFAULTS); Session s = session(storage)) {
      Thread canceller = new Thread(() -> {
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
        s.cancel();
      });
      canceller.start();
      long t0 = System.nanoTime();
      LumaException e = assertThrows(LumaException.class, () -> drain(s.execute(bigCrossJoin)));
      assertEquals("57014", e.sqlState(), e.getMessage());
      assertTrue(System.nanoTime() - t0 < 60_000_000_000L);
      drain(s.execute("SELECT 1"));
    }
  }

  @Test
  void statementTimeout() {
    try (StorageEngine storage = new StorageEngine(StorageConfig.DEFAULTS); Session s = session(storage)) {
      s.execute("SET statement_timeout = '300ms'").close();
      LumaException e = assertThrows(LumaException.class, () -> drain(s.execute(bigCrossJoin)));
      assertEquals("57014", e.sqlState(), e.getMessage());
      assertTrue(e.getMessage().contains("statement timeout"), e.getMessage());
      s.execute("SET statement_timeout = 0").close();
      drain(s.execute("SELECT count(*) FROM big"));
    }
  }
}

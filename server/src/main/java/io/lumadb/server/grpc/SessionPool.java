package io.lumadb.server.grpc;

import io.lumadb.sql.PreparedQuery;
import io.lumadb.sql.Session;
import io.lumadb.sql.SqlEngine;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Sessions kept between gRPC calls, with the plans of the queries they ran. A call borrows an
 * idle session of its user and settings (or opens one); a query (SELECT, WITH, VALUES) whose text
 * and declared parameter types the session prepared before runs on that plan while the catalog
 * stands still. Only a session that ran nothing but a query that succeeded goes back: any other
 * statement (SET, BEGIN, DDL, INSERT...) may have changed it, so it is closed and each call still
 * starts from the settings it asks for.
 */
final class SessionPool implements AutoCloseable {
  /** Idle sessions kept, every user and settings together; the one idle longest goes first. */
  static final int MAX_IDLE = 16;
  /** Plans each session keeps; the one used longest ago goes first. */
  static final int PLANS_PER_SESSION = 64;

  /** A session of the pool and its plans by text and declared types. */
  static final class Pooled {
    private final String key;
    private final Session session;
    private final LinkedHashMap<String, Plan> plans = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Plan> eldest) {
        if (size() > PLANS_PER_SESSION) {
          eldest.getValue().query().close();
          return true;
        }
        return false;
      }
    };

    private Pooled(String key, Session session) {
      this.key = key;
      this.session = session;
    }

    Session session() {
      return session;
    }

    private void close() {
      plans.values().forEach(p -> p.query().close());
      plans.clear();
      session.close();
    }
  }

  private record Plan(PreparedQuery query, long catalogVersion) {}

  private final SqlEngine engine;
  private final GrpcQueryMetrics metrics;
  private final Deque<Pooled> idle = new ArrayDeque<>(); // guarded by this
  private boolean closed; // guarded by this

  SessionPool(SqlEngine engine, GrpcQueryMetrics metrics) {
    this.engine = engine;
    this.metrics = metrics;
  }

  /** An idle session of this user and these settings, or a new one. */
  Pooled borrow(String user, Map<String, String> settings) {
    String key = user + "\u0000" + new TreeMap<>(settings);
    synchronized (this) {
      for (Iterator<Pooled> it = idle.descendingIterator(); it.hasNext(); ) {
        Pooled p = it.next();
        if (p.key.equals(key)) {
          it.remove();
          return p;
        }
      }
    }
    return new Pooled(key, engine.openSession(user, "grpc", settings));
  }

  /**
   * The session's plan of a query: the one it prepared before for this text and these declared
   * types while the catalog was as it is, else a new one, kept. Closed with the session.
   */
  PreparedQuery plan(Pooled p, String sql, List<SqlTypeName> declared) {
    String key = declared + "\u0000" + sql;
    long version = engine.storage().catalogVersion();
    Plan plan = p.plans.get(key);
    if (plan != null && plan.catalogVersion() == version) {
      metrics.planCacheHit();
      return plan.query();
    }
    metrics.planCacheMiss();
    if (plan != null) {
      p.plans.remove(key);
      plan.query().close();
    }
    PreparedQuery q = p.session.prepare(sql, declared);
    p.plans.put(key, new Plan(q, version));
    return q;
  }

  /** Takes back a session whose call ran only a query, and it succeeded. */
  void giveBack(Pooled p) {
    List<Pooled> out = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        out.add(p);
      } else {
        idle.addLast(p);
        while (idle.size() > MAX_IDLE) {
          out.add(idle.removeFirst());
        }
      }
    }
    out.forEach(Pooled::close);
  }

  /** Closes a session whose call may have changed it (or failed). */
  void discard(Pooled p) {
    p.close();
  }

  @Override
  public void close() {
    List<Pooled> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(idle);
      idle.clear();
    }
    all.forEach(Pooled::close);
  }
}

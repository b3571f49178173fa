package io.lumadb.sql.pgcatalog;

import java.util.List;
import java.util.function.Consumer;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.rel.rules.JoinAssociateRule;
import org.apache.calcite.rel.rules.JoinCommuteRule;
import org.apache.calcite.rel.rules.JoinPushThroughJoinRule;
import org.apache.calcite.rel.rules.PruneEmptyRules;
import org.apache.calcite.runtime.Hook;

/**
 * LumaDB's adjustments to Calcite's planner rules, installed once as a planner hook.
 *
 * <p>For every statement: without {@code PruneEmptyJoin(right)}. Calcite 1.42 (with tables
 * that filter in their scan) answered {@code WHERE x IN (SELECT .. WHERE 1 = 0) OR y} with no
 * rows at all: the IN becomes a join whose right side is known to be empty, and pruning that
 * join also dropped the rows that the other side of the OR keeps. A join with an input that is
 * empty when planned is rare in real queries, so the rule is not worth a wrong answer.
 *
 * <p>For catalog queries: no exhaustive join reordering. Clients' catalog queries join up
 * to ten catalog tables; Calcite's Volcano planner enumerating their join orders took 1-10 s
 * per query (pgjdbc getColumns about 1 s, getImportedKeys 8 s), against 0.1-0.4 s without.
 * The tables are small, so the order as written is good enough. The dialect pre-pass marks
 * the statement it hands to Calcite on this thread; planning happens right after, on the same
 * thread. Join order changes no result, so a stale mark could only change a plan.
 */
public final class CatalogQueryPlanning {
  private static final ThreadLocal<Boolean> READS_CATALOG = ThreadLocal.withInitial(() -> false);

  static {
    Hook.PLANNER.add((Consumer<RelOptPlanner>) CatalogQueryPlanning::adjust);
  }

  private CatalogQueryPlanning() {}

  /** Makes sure the planner hook is installed (once per JVM). */
  static void install() {
    // The static initializer does the work.
  }

  /** Marks whether the next statement this thread plans reads the catalog. */
  public static void nextStatementReadsCatalog(boolean readsCatalog) {
    READS_CATALOG.set(readsCatalog);
  }

  private static void adjust(RelOptPlanner planner) {
    planner.removeRule(PruneEmptyRules.JOIN_RIGHT_INSTANCE);
    if (!READS_CATALOG.get()) {
      return;
    }
    for (RelOptRule rule : List.copyOf(planner.getRules())) {
      if (rule instanceof JoinCommuteRule || rule instanceof JoinPushThroughJoinRule
          || rule instanceof JoinAssociateRule) {
        planner.removeRule(rule);
      }
    }
  }
}

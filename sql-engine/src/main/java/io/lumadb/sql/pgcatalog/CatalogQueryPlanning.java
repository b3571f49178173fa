package io.lumadb.sql.pgcatalog;

import io.lumadb.sql.SemiJoinRules;
import java.util.List;
import java.util.function.Consumer;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.rules.JoinAssociateRule;
import org.apache.calcite.rel.rules.JoinCommuteRule;
import org.apache.calcite.rel.rules.JoinPushThroughJoinRule;
import org.apache.calcite.runtime.Hook;

/**
 * LumaDB's adjustments to Calcite's planner rules, installed once as a planner hook.
 *
 * <p>For every statement: {@link SemiJoinRules} in place of Calcite's {@code SemiJoinRule:project}
 * and {@code SemiJoinRule:join}, which turned a cross join with a grand total ({@code count(*)}
 * of an IN subquery inside OR) into a semi join with the aggregate's input, so an empty subquery
 * removed every row ({@code WHERE a OR (x IN (SELECT ..) AND b > 8) AND b <= 7}). (Removing
 * {@code PruneEmptyJoin(right)} had hidden this only where the subquery was empty at planning
 * time, {@code WHERE 1 = 0}; that rule was right, it only pruned the wrong semi join.)
 *
 * <p>For every statement also {@link io.lumadb.storage.calcite.AggregateScanRule}: a GROUP BY
 * over a LumaDB table that the scan can evaluate runs inside the scan; and
 * {@link io.lumadb.storage.calcite.LumaSortRule}: ORDER BY [LIMIT] runs in LumaDB's sort (top-N,
 * the statement's memory limit); and {@link io.lumadb.storage.calcite.FirstRowScanRule}: DISTINCT ON
 * (ROW_NUMBER() = 1 per group) keeps each group's first row while it scans; and
 * {@link io.lumadb.storage.calcite.TopNScanRule}: ORDER BY ... LIMIT over a scan keeps only the best rows.
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
    io.lumadb.storage.calcite.AggregateScanRule.ALL.forEach(planner::addRule);
    planner.addRule(io.lumadb.storage.calcite.LumaSortRule.INSTANCE);
    io.lumadb.storage.calcite.FirstRowScanRule.ALL.forEach(planner::addRule);
    io.lumadb.storage.calcite.TopNScanRule.ALL.forEach(planner::addRule);
    if (planner.removeRule(CoreRules.PROJECT_TO_SEMI_JOIN)) {
      planner.addRule(SemiJoinRules.PROJECT_TO_SEMI_JOIN);
    }
    if (planner.removeRule(CoreRules.JOIN_TO_SEMI_JOIN)) {
      planner.addRule(SemiJoinRules.JOIN_TO_SEMI_JOIN);
    }
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

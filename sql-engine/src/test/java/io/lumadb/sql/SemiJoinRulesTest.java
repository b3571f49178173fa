package io.lumadb.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.storage.StorageConfig;
import io.lumadb.storage.StorageEngine;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.interpreter.Interpreter;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.ImmutableBitSet;
import org.junit.jupiter.api.Test;

class SemiJoinRulesTest {
  private static final DataContext DATA_CONTEXT = new DataContext() {
    private final JavaTypeFactory typeFactory = new JavaTypeFactoryImpl();

    @Override public SchemaPlus getRootSchema() {
      return null;
    }

    @Override public JavaTypeFactory getTypeFactory() {
      return typeFactory;
    }

    @Override public QueryProvider getQueryProvider() {
      return null;
    }

    @Override public Object get(String name) {
      return null;
    }
  };

  private final RelBuilder b = RelBuilder.create(Frameworks.newConfigBuilder()
      .defaultSchema(Frameworks.createRootSchema(true)).build());

  /** Rows (pk, a): (0, 6), (1, NULL), (2, 1), (3, 6). */
  private RelBuilder table() {
    return b.values(new String[] {"pk", "a"}, 0, 6, 1, null, 2, 1, 3, 6);
  }

  /** {@code SELECT t.pk FROM t JOIN (SELECT count(*) FROM t WHERE a < 0) ON true}. */
  private RelNode joinWithCountOfNoRows(JoinRelType type) {
    table();
    table().filter(b.lessThan(b.field("a"), b.literal(0))).aggregate(b.groupKey(), b.countStar("n"));
    return b.join(type, b.literal(true)).project(b.field(0)).build();
  }

  private static RelNode apply(RelOptRule rule, RelNode rel) {
    HepPlanner planner = new HepPlanner(new HepProgramBuilder().addRuleInstance(rule).build());
    planner.setRoot(rel);
    return planner.findBestExp();
  }

  /**
   * Runs a plan in Calcite's interpreter. Not for plans with a grand total over no rows: the
   * interpreter's aggregate returns no row for them (Enumerable, which LumaDB runs, returns one).
   */
  private static List<Object> firstColumn(RelNode rel) {
    List<Object> out = new ArrayList<>();
    for (Object[] row : new Interpreter(DATA_CONTEXT, rel)) {
      out.add(row[0]);
    }
    return out;
  }

  @Test
  void calcitesRuleLosesEveryRowOfACrossJoinWithAGrandTotal() {
    // Documents why the replacement exists: if a Calcite upgrade fixes this, drop SemiJoinRules.
    RelNode plan = joinWithCountOfNoRows(JoinRelType.INNER);
    RelNode calcite = apply(CoreRules.PROJECT_TO_SEMI_JOIN, plan);
    assertTrue(RelOptUtil.toString(calcite).contains("joinType=[semi]"), RelOptUtil.toString(calcite));
    assertEquals(List.of(), firstColumn(calcite));
  }

  @Test
  void grandTotalOnTheRightIsDroppedFromTheJoin() {
    for (JoinRelType type : List.of(JoinRelType.INNER, JoinRelType.LEFT)) {
      RelNode plan = apply(SemiJoinRules.PROJECT_TO_SEMI_JOIN,
          joinWithCountOfNoRows(type));
      String text = RelOptUtil.toString(plan);
      assertFalse(text.contains("Join") || text.contains("Aggregate"), text);
      assertEquals(List.of(0, 1, 2, 3), firstColumn(plan), text);
    }
  }

  @Test
  void groupedAggregateStillBecomesASemiJoin() {
    // SELECT pk FROM t WHERE a IN (SELECT a FROM t WHERE a > 1), as Calcite plans it
    table();
    table().filter(b.greaterThan(b.field("a"), b.literal(1))).aggregate(b.groupKey(b.field("a")));
    RelNode join = b.join(JoinRelType.INNER, b.equals(b.field(2, 0, "a"), b.field(2, 1, "a")))
        .project(b.field(0)).build();
    RelNode plan = apply(SemiJoinRules.PROJECT_TO_SEMI_JOIN, join);
    assertTrue(RelOptUtil.toString(plan).contains("joinType=[semi]"), RelOptUtil.toString(plan));
    assertEquals(List.of(0, 3), firstColumn(plan));
  }

  @Test
  void joinWithAColumnlessGrandTotalKeepsItsLeftInput() {
    // Built by hand: RelBuilder replaces a column-less aggregate by a one-row Values.
    RelNode left = table().build();
    RelNode empty = table().filter(b.lessThan(b.field("a"), b.literal(0))).build();
    RelNode join = LogicalJoin.create(left,
        LogicalAggregate.create(empty, List.of(), ImmutableBitSet.of(), null, List.of()),
        List.of(), b.literal(true), Set.of(), JoinRelType.INNER);
    RelNode calcite = apply(CoreRules.JOIN_TO_SEMI_JOIN, join);
    assertTrue(RelOptUtil.toString(calcite).contains("joinType=[semi]"), RelOptUtil.toString(calcite));
    assertEquals(List.of(), firstColumn(calcite));
    RelNode plan = apply(SemiJoinRules.JOIN_TO_SEMI_JOIN, join);
    assertFalse(RelOptUtil.toString(plan).contains("Join"), RelOptUtil.toString(plan));
    assertEquals(List.of(0, 1, 2, 3), firstColumn(plan));
  }

  @Test
  void sqlWithEmptySubqueryKeepsTheRowsOfTheOtherSideOfOr() {
    try (StorageEngine storage = new StorageEngine(StorageConfig.DEFAULTS);
        Session session = new SqlEngine(storage, new PrometheusRegistry())
            .openSession("lumadb", "test", Map.of())) {
      session.execute("CREATE TABLE sq (pk INT, a INT, b INT)").close();
      session.execute("INSERT INTO sq VALUES (0, 6, 9), (1, 1, NULL), (2, NULL, 3), (3, 10, 2)")
          .close();
      assertEquals(List.of(0, 1, 3), pks(session, """
          SELECT pk FROM sq
          WHERE a > 2 OR (b IN (SELECT a FROM sq WHERE b < 0) AND a > 8 OR a = 1) AND a <= 7"""));
      assertEquals(List.of(0, 1, 2, 3),
          pks(session, "SELECT s.pk FROM sq s, (SELECT max(a) AS m FROM sq WHERE b < 0) t"));
      assertEquals(List.of(1),
          pks(session, "SELECT pk FROM sq WHERE b IN (SELECT a FROM sq WHERE 1 = 0) OR a = 1"));
      assertEquals(List.of(3), pks(session, "SELECT pk FROM sq WHERE b IN (SELECT a + 1 FROM sq)"));
    }
  }

  private static List<Integer> pks(Session session, String sql) {
    try (StatementResult r = session.execute(sql)) {
      StatementResult.Rows rows = (StatementResult.Rows) r;
      List<Integer> out = new ArrayList<>();
      while (rows.cursor().next()) {
        out.add(((Number) rows.cursor().get(0)).intValue());
      }
      out.sort(null);
      return out;
    }
  }
}

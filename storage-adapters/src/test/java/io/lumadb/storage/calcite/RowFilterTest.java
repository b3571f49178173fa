package io.lumadb.storage.calcite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.storage.Column;
import io.lumadb.storage.ColumnBatch;
import io.lumadb.storage.ColumnReader;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.TableSchema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.TimestampString;
import org.junit.jupiter.api.Test;

/** The scan's own filter kernels: every operator, NULLs (three-valued logic), empty input. */
class RowFilterTest {
  static final TableSchema SCHEMA = new TableSchema(List.of(
      Column.of("ts", ColumnType.TIMESTAMP), Column.of("n", ColumnType.BIGINT),
      Column.of("host", ColumnType.VARCHAR), Column.of("v", ColumnType.DOUBLE),
      Column.of("ok", ColumnType.BOOLEAN), Column.of("r", ColumnType.REAL)));

  final RelDataTypeFactory types = new JavaTypeFactoryImpl();
  final RexBuilder rex = new RexBuilder(types);

  /** n: 1, 2, NULL, 4; host: a, b, NULL, a; v: 0.5, NaN, 1.5, NULL; ok: true, false, NULL, true. */
  final List<ColumnReader> cols = columns(false);
  /** The same rows as an immutable part's readers, which know their long columns' bounds. */
  final List<ColumnReader> immutable = columns(true);

  static List<ColumnReader> columns() {
    return columns(false);
  }

  static List<ColumnReader> columns(boolean immutable) {
    ColumnBatch b = new ColumnBatch(SCHEMA, 4);
    b.appendRow(new Object[] {1000L, 1L, "a", 0.5, true, 1.0f});
    b.appendRow(new Object[] {2000L, 2L, "b", Double.NaN, false, 2.0f});
    b.appendRow(new Object[] {3000L, null, null, 1.5, null, null});
    b.appendRow(new Object[] {4000L, 4L, "a", null, true, 4.0f});
    List<ColumnReader> out = new ArrayList<>();
    for (int i = 0; i < SCHEMA.size(); i++) {
      out.add(immutable ? b.column(i).finalView() : b.column(i).view());
    }
    return out;
  }

  RexNode col(int i) {
    SqlTypeName t = SCHEMA.column(i).type().sqlType();
    RelDataType type = t == SqlTypeName.TIMESTAMP ? types.createSqlType(t, 3) : types.createSqlType(t);
    return rex.makeInputRef(types.createTypeWithNullability(type, true), i);
  }

  RexNode num(long v) {
    return rex.makeExactLiteral(BigDecimal.valueOf(v));
  }

  RexNode str(String s) {
    return rex.makeLiteral(s);
  }

  RexNode call(org.apache.calcite.sql.SqlOperator op, RexNode... args) {
    return rex.makeCall(op, args);
  }

  /** Rows (0-based) the filter keeps, after checking it took the filter out of the list. */
  List<Integer> keep(RexNode filter) {
    List<RexNode> filters = new ArrayList<>(List.of(filter));
    RowFilter f = RowFilter.compile(SCHEMA, filters, rex);
    assertTrue(filters.isEmpty(), "not compiled: " + filter);
    List<Integer> rows = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      if (f.test(cols, r)) {
        rows.add(r);
      }
    }
    assertEquals(rows, selected(f, cols, 4), "the kernels and the row-by-row conditions differ on " + filter);
    assertEquals(rows, selected(f, immutable, 4), "over an immutable part's readers: " + filter);
    return rows;
  }

  /** Per row of {@link #cols}: whether the filter keeps it, the same on both paths. */
  List<Boolean> verdicts(RowFilter f) {
    List<Boolean> out = new ArrayList<>();
    List<Integer> kept = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      out.add(f.test(cols, r));
      if (out.get(r)) {
        kept.add(r);
      }
    }
    assertEquals(kept, selected(f, cols, 4), "the kernels and the row-by-row conditions differ");
    return out;
  }

  /** The rows the vectorized path ({@link RowFilter#select}) keeps. */
  static List<Integer> selected(RowFilter f, List<ColumnReader> cols, int rowCount) {
    int[] sel = new int[rowCount];
    int m = f.select(cols, rowCount, sel);
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      rows.add(sel[i]);
    }
    return rows;
  }

  /** A range every row of a part passes keeps them all without testing them; one a row misses does not. */
  @Test
  void rangesCoveringAWholePart() {
    RexNode ts = col(0);
    RexNode from = rex.makeTimestampLiteral(new org.apache.calcite.util.TimestampString("1970-01-01 00:00:01"), 3);
    RexNode to = rex.makeTimestampLiteral(new org.apache.calcite.util.TimestampString("1970-01-01 00:00:04"), 3);
    assertEquals(List.of(0, 1, 2, 3), keep(call(SqlStdOperatorTable.AND,
        call(SqlStdOperatorTable.GREATER_THAN_OR_EQUAL, ts, from), call(SqlStdOperatorTable.LESS_THAN_OR_EQUAL, ts, to))));
    assertEquals(List.of(0, 1, 2), keep(call(SqlStdOperatorTable.LESS_THAN, ts, to)));
    // n holds a NULL: a range over its bounds still drops that row
    assertEquals(List.of(0, 1, 3), keep(call(SqlStdOperatorTable.AND,
        call(SqlStdOperatorTable.GREATER_THAN_OR_EQUAL, col(1), num(1)), call(SqlStdOperatorTable.LESS_THAN_OR_EQUAL, col(1), num(4)))));
  }

  @Test
  void comparisonsOnIntegers() {
    assertEquals(List.of(1), keep(call(SqlStdOperatorTable.EQUALS, col(1), num(2))));
    assertEquals(List.of(0, 3), keep(call(SqlStdOperatorTable.NOT_EQUALS, col(1), num(2))));
    assertEquals(List.of(0, 1), keep(call(SqlStdOperatorTable.LESS_THAN, col(1), num(4))));
    assertEquals(List.of(3), keep(call(SqlStdOperatorTable.LESS_THAN, num(2), col(1)))); // literal first
    assertEquals(List.of(1, 3), keep(call(SqlStdOperatorTable.GREATER_THAN_OR_EQUAL, col(1),
        rex.makeExactLiteral(new BigDecimal("1.5")))));
  }

  @Test
  void nullsFollowThreeValuedLogic() {
    RexNode eq2 = call(SqlStdOperatorTable.EQUALS, col(1), num(2));
    // NOT (n = 2): NULL stays UNKNOWN and is dropped
    assertEquals(List.of(0, 3), keep(call(SqlStdOperatorTable.NOT, eq2)));
    // n = 2 OR n IS NULL
    assertEquals(List.of(1, 2), keep(call(SqlStdOperatorTable.OR, eq2, call(SqlStdOperatorTable.IS_NULL, col(1)))));
    assertEquals(List.of(0, 1, 3), keep(call(SqlStdOperatorTable.IS_NOT_NULL, col(2))));
    // comparing with a NULL literal is never true, NOT of it neither
    RexNode nullLit = rex.makeNullLiteral(types.createSqlType(SqlTypeName.BIGINT));
    assertEquals(List.of(), keep(call(SqlStdOperatorTable.NOT, call(SqlStdOperatorTable.EQUALS, col(1), nullLit))));
    // UNKNOWN AND FALSE is FALSE, NOT of it TRUE; row 2's host is NULL: UNKNOWN AND UNKNOWN
    RexNode unknownAndFalse = call(SqlStdOperatorTable.AND, call(SqlStdOperatorTable.EQUALS, col(1), nullLit),
        call(SqlStdOperatorTable.EQUALS, col(2), str("zzz")));
    assertEquals(List.of(0, 1, 3), keep(call(SqlStdOperatorTable.NOT, unknownAndFalse)));
  }

  @Test
  void doubleExpressionsComparedWithNumbers() {
    // v: 0.5, NaN, 1.5, NULL
    RexNode two = rex.makeExactLiteral(BigDecimal.valueOf(2));
    RexNode vTimes2 = call(SqlStdOperatorTable.MULTIPLY, col(3), two);
    assertEquals(List.of(2), keep(call(SqlStdOperatorTable.GREATER_THAN, vTimes2, num(1))));
    RexNode vPlus1 = call(SqlStdOperatorTable.PLUS, col(3), num(1));
    assertEquals(List.of(0), keep(call(SqlStdOperatorTable.GREATER_THAN, rex.makeExactLiteral(new BigDecimal("2.5")), vPlus1)));
    assertEquals(List.of(0, 2), keep(call(SqlStdOperatorTable.LESS_THAN_OR_EQUAL, call(SqlStdOperatorTable.UNARY_MINUS, col(3)), num(0))));
    // compared with another column: a projection kernel's condition too (VectorExpr)
    assertEquals(List.of(0, 2), keep(call(SqlStdOperatorTable.GREATER_THAN, vTimes2, col(3))));
    // a REAL expression: left to Calcite
    List<RexNode> filters = new ArrayList<>(List.of(call(SqlStdOperatorTable.GREATER_THAN,
        call(SqlStdOperatorTable.MULTIPLY, col(5), two), num(1))));
    assertNull(RowFilter.compile(SCHEMA, filters, rex));
  }

  /**
   * Conditions the kernels compute whole: whole-number arithmetic, an OR across columns whose
   * second operand is computed only for the rows the first left undecided (n = 2 OR 4 / (n - 2) > 1
   * divides by no zero), a CASE.
   */
  @Test
  void computedConditions() {
    RexNode nIs2 = call(SqlStdOperatorTable.EQUALS, col(1), num(2));
    RexNode quotient = call(SqlStdOperatorTable.GREATER_THAN,
        call(SqlStdOperatorTable.DIVIDE, num(4), call(SqlStdOperatorTable.MINUS, col(1), num(2))), num(1));
    assertEquals(List.of(1, 3), keep(call(SqlStdOperatorTable.OR, nIs2, quotient)));
    assertEquals(List.of(1, 3), keep(call(SqlStdOperatorTable.EQUALS, call(SqlStdOperatorTable.MOD, col(1), num(2)), num(0))));
    // host = 'a' OR v > 1: rows 0, 3 (a), 2 (1.5)
    assertEquals(List.of(0, 2, 3), keep(call(SqlStdOperatorTable.OR, call(SqlStdOperatorTable.EQUALS, col(2), str("a")),
        call(SqlStdOperatorTable.GREATER_THAN, col(3), num(1)))));
    RexNode caseExpr = call(SqlStdOperatorTable.CASE, call(SqlStdOperatorTable.IS_NULL, col(1)), num(10), col(1));
    assertEquals(List.of(2, 3), keep(call(SqlStdOperatorTable.GREATER_THAN, caseExpr, num(3))));
  }

  @Test
  void inListsAndRangesThroughSearch() {
    RexNode in = rex.makeIn(col(2), List.of(str("b"), str("c")));
    assertEquals(List.of(1), keep(in));
    RexNode between = rex.makeBetween(col(1), num(2), num(4));
    assertEquals(List.of(1, 3), keep(between));
    // whole-number IN and NOT IN lists: one set lookup per row; a NULL is in neither
    RexNode numbers = rex.makeIn(col(1), List.of(num(1), num(4), num(9)));
    assertEquals(List.of(0, 3), keep(numbers));
    assertEquals(List.of(1), keep(call(SqlStdOperatorTable.NOT, numbers)));
  }

  @Test
  void stringsDoublesBooleansTimestamps() {
    assertEquals(List.of(1), keep(call(SqlStdOperatorTable.GREATER_THAN, col(2), str("a"))));
    // NaN compares false except with <>
    assertEquals(List.of(0), keep(call(SqlStdOperatorTable.LESS_THAN, col(3), rex.makeApproxLiteral(new BigDecimal("1.0")))));
    assertEquals(List.of(0, 1), keep(call(SqlStdOperatorTable.NOT_EQUALS, col(3), rex.makeApproxLiteral(new BigDecimal("1.5")))));
    assertEquals(List.of(0, 3), keep(call(SqlStdOperatorTable.EQUALS, col(4), rex.makeLiteral(true))));
    RexNode ts = rex.makeTimestampLiteral(TimestampString.fromMillisSinceEpoch(2000), 3);
    assertEquals(List.of(1, 2, 3), keep(call(SqlStdOperatorTable.GREATER_THAN_OR_EQUAL, col(0), ts)));
  }

  /** A dictionary-coded text column (as a sealed segment's): codes into dict, -1 for NULL. */
  static ColumnReader coded(String[] dict, int... codes) {
    return new ColumnReader() {
      @Override
      public int rowCount() {
        return codes.length;
      }

      @Override
      public boolean isNull(int row) {
        return codes[row] < 0;
      }

      @Override
      public Object get(int row) {
        return codes[row] < 0 ? null : dict[codes[row]];
      }

      @Override
      public long getLong(int row) {
        throw new UnsupportedOperationException();
      }

      @Override
      public double getDouble(int row) {
        throw new UnsupportedOperationException();
      }

      @Override
      public String[] dictionary() {
        return dict;
      }

      @Override
      public int code(int row) {
        return codes[row];
      }
    };
  }

  @Test
  void textConditionsOnDictionaryCodedPartsAreRememberedPerValue() {
    RexNode inOrNull = call(SqlStdOperatorTable.OR, rex.makeIn(col(2), List.of(str("b"), str("c"))),
        call(SqlStdOperatorTable.IS_NULL, col(2)));
    RexNode notA = call(SqlStdOperatorTable.NOT_EQUALS, col(2), str("a"));
    for (RexNode filter : List.of(inOrNull, notA)) {
      List<RexNode> filters = new ArrayList<>(List.of(filter));
      RowFilter f = RowFilter.compile(SCHEMA, filters, rex);
      assertTrue(filters.isEmpty());
      // Two parts with different dictionaries, then the heap part again: each answer per row.
      for (ColumnReader host : List.of(coded(new String[] {"a", "b"}, 0, 1, -1, 1, 0),
          coded(new String[] {"c", "a", "d"}, 2, 1, 0, -1, 0), cols.get(2))) {
        List<ColumnReader> part = new ArrayList<>(cols);
        part.set(2, host);
        List<Integer> rows = new ArrayList<>();
        List<Integer> expected = new ArrayList<>();
        for (int r = 0; r < host.rowCount(); r++) {
          String h = (String) host.get(r);
          boolean want = filter == inOrNull ? h == null || h.equals("b") || h.equals("c") : h != null && !h.equals("a");
          if (want) {
            expected.add(r);
          }
          if (f.test(part, r)) {
            rows.add(r);
          }
        }
        assertEquals(expected, rows, filter + " on " + host.dictionary());
        assertEquals(expected, selected(f, part, host.rowCount()), filter + " (kernels) on " + host.dictionary());
      }
    }
  }

  @Test
  void whatItCannotEvaluateStaysWithCalcite() {
    RexNode onReal = call(SqlStdOperatorTable.EQUALS, col(5), rex.makeApproxLiteral(new BigDecimal("1.0")));
    RexNode colVsCol = call(SqlStdOperatorTable.EQUALS, call(SqlStdOperatorTable.CHAR_LENGTH, col(2)), col(1));
    RexNode handled = call(SqlStdOperatorTable.EQUALS, col(1), num(1));
    List<RexNode> filters = new ArrayList<>(List.of(onReal, colVsCol, handled));
    RowFilter f = RowFilter.compile(SCHEMA, filters, rex);
    assertEquals(List.of(onReal, colVsCol), filters);
    assertTrue(f.columns().get(1) && f.columns().cardinality() == 1);
    assertNull(RowFilter.compile(SCHEMA, new ArrayList<>(List.of(onReal)), rex));
    // Within one AND the conjuncts are taken one by one: the scan evaluates what it can.
    filters = new ArrayList<>(List.of(call(SqlStdOperatorTable.AND, onReal, handled, colVsCol)));
    f = RowFilter.compile(SCHEMA, filters, rex);
    assertEquals(List.of(onReal, colVsCol), filters);
    assertEquals(List.of(true, false, false, false), verdicts(f));
  }

  /** {@code CAST(host AS VARCHAR) = 'a'}, as Calcite types a TEXT column against a VARCHAR parameter. */
  @Test
  void aTextColumnCastToVarcharIsTheColumn() {
    RexNode cast = rex.makeCast(types.createSqlType(SqlTypeName.VARCHAR), col(2));
    assertEquals(List.of(0, 3), keep(call(SqlStdOperatorTable.EQUALS, cast, str("a"))));
    // a cast that can cut the text is not the column
    RexNode cut = rex.makeCast(types.createSqlType(SqlTypeName.VARCHAR, 1), col(2));
    List<RexNode> filters = new ArrayList<>(List.of(call(SqlStdOperatorTable.EQUALS, cut, str("a"))));
    assertNull(RowFilter.compile(SCHEMA, filters, rex));
  }

  /** Prepared statements: {@code n = CAST(?0 AS BIGINT)} with the value from the execution. */
  @Test
  void dynamicParametersAreReadFromTheExecution() {
    RexNode param = rex.makeCast(types.createSqlType(SqlTypeName.BIGINT),
        rex.makeDynamicParam(types.createSqlType(SqlTypeName.BIGINT), 0));
    RexNode hostParam = rex.makeDynamicParam(types.createSqlType(SqlTypeName.VARCHAR), 1);
    java.util.Map<String, Object> values = new java.util.HashMap<>(java.util.Map.of("?0", 4L, "?1", "a"));
    org.apache.calcite.DataContext ctx = context(values);

    List<RexNode> filters = new ArrayList<>(List.of(call(SqlStdOperatorTable.EQUALS, col(1), param),
        call(SqlStdOperatorTable.EQUALS, col(2), hostParam)));
    RowFilter f = RowFilter.compile(SCHEMA, filters, rex, ctx);
    assertTrue(filters.isEmpty());
    assertEquals(List.of(false, false, false, true), verdicts(f));
    values.put("?0", null); // a NULL parameter matches nothing
    filters = new ArrayList<>(List.of(call(SqlStdOperatorTable.EQUALS, col(1), param)));
    f = RowFilter.compile(SCHEMA, filters, rex, ctx);
    assertEquals(List.of(false, false, false, false), verdicts(f));
    // without the execution's values a parameter is left to Calcite
    filters = new ArrayList<>(List.of(call(SqlStdOperatorTable.EQUALS, col(1), param)));
    assertNull(RowFilter.compile(SCHEMA, filters, rex));
    assertEquals(1, filters.size());
  }

  /** An execution's parameter values, as Calcite hands them to a scan. */
  org.apache.calcite.DataContext context(java.util.Map<String, Object> values) {
    return new org.apache.calcite.DataContext() {
      @Override
      public org.apache.calcite.schema.SchemaPlus getRootSchema() {
        return null;
      }

      @Override
      public org.apache.calcite.adapter.java.JavaTypeFactory getTypeFactory() {
        return (org.apache.calcite.adapter.java.JavaTypeFactory) types;
      }

      @Override
      public org.apache.calcite.linq4j.QueryProvider getQueryProvider() {
        return null;
      }

      @Override
      public Object get(String name) {
        return values.get(name);
      }
    };
  }

  /**
   * {@code ts = ?} and {@code host = ?} of a prepared statement: the row filter evaluates them and
   * the scan prunes by the parameters' values (a point query reads one segment, not the table).
   */
  @Test
  void timestampParametersFilterAndPrune() {
    RelDataType tsType = types.createSqlType(SqlTypeName.TIMESTAMP, 3);
    RexNode tsParam = rex.makeDynamicParam(tsType, 0);
    RexNode hostParam = rex.makeDynamicParam(types.createSqlType(SqlTypeName.VARCHAR), 1);
    java.util.Map<String, Object> values = new java.util.HashMap<>();
    values.put("?0", new java.sql.Timestamp(3000L)); // the JVM runs in UTC
    values.put("?1", "a");
    org.apache.calcite.DataContext ctx = context(values);
    List<RexNode> filters = new ArrayList<>(List.of(call(SqlStdOperatorTable.GREATER_THAN_OR_EQUAL, col(0), tsParam),
        call(SqlStdOperatorTable.EQUALS, col(2), hostParam)));
    io.lumadb.storage.ScanSpec spec = ScanSpecs.from(SCHEMA, 0, filters, null, ctx);
    assertEquals(3000L, spec.minTime());
    assertNull(spec.maxTime());
    assertEquals(java.util.Set.of("a"), spec.tagIn().get(2));
    RowFilter f = RowFilter.compile(SCHEMA, filters, rex, ctx);
    assertTrue(filters.isEmpty());
    assertEquals(List.of(false, false, false, true), verdicts(f));
    // Calcite's internal form (epoch millis as a long) is read too
    values.put("?0", 2000L);
    filters = new ArrayList<>(List.of(call(SqlStdOperatorTable.EQUALS, col(0), tsParam)));
    assertEquals(2000L, ScanSpecs.from(SCHEMA, 0, filters, null, ctx).maxTime());
    f = RowFilter.compile(SCHEMA, filters, rex, ctx);
    assertEquals(List.of(false, true, false, false), verdicts(f));
    // a timestamp parameter cast from text stays with Calcite, and prunes nothing
    RexNode fromText = rex.makeCast(tsType, rex.makeDynamicParam(types.createSqlType(SqlTypeName.VARCHAR), 2));
    values.put("?2", "1970-01-01 00:00:02");
    filters = new ArrayList<>(List.of(call(SqlStdOperatorTable.EQUALS, col(0), fromText)));
    assertNull(ScanSpecs.from(SCHEMA, 0, filters, null, ctx).minTime());
    assertNull(RowFilter.compile(SCHEMA, filters, rex, ctx));
    assertEquals(1, filters.size());
  }

  @Test
  void emptyInput() {
    List<RexNode> filters = new ArrayList<>(List.of(call(SqlStdOperatorTable.EQUALS, col(1), num(1))));
    RowFilter f = RowFilter.compile(SCHEMA, filters, rex);
    ColumnBatch empty = new ColumnBatch(SCHEMA, 0);
    List<ColumnReader> none = new ArrayList<>();
    for (int i = 0; i < SCHEMA.size(); i++) {
      none.add(empty.column(i).view());
    }
    assertEquals(0, none.get(1).rowCount());
    assertTrue(f.columns().get(1));
  }

  /**
   * Comparisons on bytea, json/jsonb and numeric columns stay with Calcite (which compares
   * ByteStrings, strings and BigDecimals of any scale exactly); IS NULL on them is compiled.
   */
  @Test
  void newTypesAreLeftToCalcite() {
    TableSchema schema = new TableSchema(List.of(Column.of("b", ColumnType.BYTEA),
        Column.of("j", ColumnType.JSONB), Column.of("u", ColumnType.NUMERIC)));
    RexNode b = rex.makeInputRef(types.createTypeWithNullability(types.createSqlType(SqlTypeName.VARBINARY), true), 0);
    RexNode j = rex.makeInputRef(types.createTypeWithNullability(types.createSqlType(SqlTypeName.VARCHAR), true), 1);
    RexNode u = rex.makeInputRef(types.createTypeWithNullability(types.createSqlType(SqlTypeName.DECIMAL, 38, 16), true), 2);
    for (RexNode f : List.of(
        call(SqlStdOperatorTable.EQUALS, b, rex.makeBinaryLiteral(new org.apache.calcite.avatica.util.ByteString(new byte[] {1}))),
        call(SqlStdOperatorTable.EQUALS, j, str("{}")),
        call(SqlStdOperatorTable.LESS_THAN, u, rex.makeExactLiteral(new BigDecimal("1.5"))))) {
      List<RexNode> filters = new ArrayList<>(List.of(f));
      assertNull(RowFilter.compile(schema, filters, rex), f.toString());
      assertEquals(1, filters.size(), "left for Calcite: " + f);
    }
    List<RexNode> filters = new ArrayList<>(List.of(call(SqlStdOperatorTable.IS_NULL, u)));
    org.junit.jupiter.api.Assertions.assertNotNull(RowFilter.compile(schema, filters, rex));
    assertTrue(filters.isEmpty());
  }
}

package io.lumadb.storage.calcite;

import com.google.common.collect.Range;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.ScanSpec;
import io.lumadb.storage.TableSchema;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.Sarg;
import org.apache.calcite.util.TimestampString;

/**
 * Reads a scan's conjunctive filters for what storage can prune with: a range on the time
 * column and equality / IN on string (tag) columns. Every filter stays with Calcite as well,
 * so a filter read loosely here only costs reading more.
 */
final class ScanSpecs {
  private ScanSpecs() {}

  /**
   * What a scan may skip given its filters: a time range and tag values from comparisons of
   * columns with literals or with parameters ({@code root} holds their values; null: literals
   * only).
   */
  static ScanSpec from(TableSchema schema, int timeColumn, List<RexNode> given, int[] projects,
      org.apache.calcite.DataContext root) {
    List<RexNode> filters = new java.util.ArrayList<>();
    for (RexNode f : given) {
      filters.addAll(org.apache.calcite.plan.RelOptUtil.conjunctions(f));
    }
    Long min = null;
    Long max = null;
    Map<Integer, Set<String>> tags = new HashMap<>();
    Map<Integer, List<String>> text = new HashMap<>();
    for (RexNode f : filters) {
      if (f instanceof RexCall fn && fn.getOperator().getName().equalsIgnoreCase(TextMatchFunction.NAME)
          && fn.getOperands().size() == 2 && stripCast(fn.getOperands().get(0)) instanceof RexInputRef col
          && stripCast(fn.getOperands().get(1)) instanceof RexLiteral q && string(q.getValue()) != null) {
        List<String> terms = new java.util.ArrayList<>(text.getOrDefault(col.getIndex(), List.of()));
        terms.addAll(io.lumadb.storage.index.InvertedIndex.tokenize(string(q.getValue())));
        text.put(col.getIndex(), terms);
        continue;
      }
      if (!(f instanceof RexCall call) || call.getOperands().size() != 2) {
        continue;
      }
      RexNode a = RowFilter.column(call.getOperands().get(0));
      RexNode b = RowFilter.column(call.getOperands().get(1));
      SqlKind kind = call.getKind();
      if (!(a instanceof RexInputRef) && b instanceof RexInputRef && kind != SqlKind.SEARCH) {
        RexNode t = a;
        a = b;
        b = t;
        kind = kind.reverse();
      }
      if (!(a instanceof RexInputRef ref)) {
        continue;
      }
      RexLiteral lit = b instanceof RexLiteral l ? l : null;
      // A parameter: its value for this execution (compared the way the row filter compares).
      RowFilter.Value param = lit != null || kind == SqlKind.SEARCH ? null : RowFilter.value(b, root);
      if (lit == null && param == null) {
        continue;
      }
      int col = ref.getIndex();
      if (col == timeColumn) {
        Long v = kind == SqlKind.SEARCH ? null
            : lit != null ? millis(lit)
            : (param.type() == SqlTypeName.TIMESTAMP || param.type() == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE)
                && param.v() instanceof Number n ? Long.valueOf(n.longValue())
            : null;
        switch (kind) {
          case EQUALS -> {
            min = max(min, v);
            max = min(max, v);
          }
          case GREATER_THAN_OR_EQUAL -> min = max(min, v);
          case GREATER_THAN -> min = max(min, v == null ? null : v + 1);
          case LESS_THAN_OR_EQUAL -> max = min(max, v);
          case LESS_THAN -> max = min(max, v == null ? null : v - 1);
          case SEARCH -> {
            Sarg<?> sarg = lit.getValueAs(Sarg.class);
            if (sarg != null && !sarg.nullAs.equals(org.apache.calcite.rex.RexUnknownAs.TRUE)
                && !sarg.rangeSet.isEmpty()) {
              Range<?> span = sarg.rangeSet.span();
              if (span.hasLowerBound()) {
                Long lo = millis(span.lowerEndpoint());
                boolean open = span.lowerBoundType() == com.google.common.collect.BoundType.OPEN;
                min = max(min, lo == null ? null : open ? lo + 1 : lo);
              }
              if (span.hasUpperBound()) {
                Long hi = millis(span.upperEndpoint());
                boolean open = span.upperBoundType() == com.google.common.collect.BoundType.OPEN;
                max = min(max, hi == null ? null : open ? hi - 1 : hi);
              }
            }
          }
          default -> { }
        }
      } else if (schema.column(col).type() == ColumnType.VARCHAR) {
        Set<String> values = null;
        if (kind == SqlKind.EQUALS) {
          String s = lit != null ? string(lit.getValue()) : string(param.v());
          values = s == null ? null : Set.of(s);
        } else if (kind == SqlKind.SEARCH) {
          Sarg<?> sarg = lit.getValueAs(Sarg.class);
          if (sarg != null && sarg.isPoints()
              && !sarg.nullAs.equals(org.apache.calcite.rex.RexUnknownAs.TRUE)) {
            values = new HashSet<>();
            for (Range<?> r : sarg.rangeSet.asRanges()) {
              String s = string(r.lowerEndpoint());
              if (s == null) {
                values = null;
                break;
              }
              values.add(s);
            }
          }
        }
        if (values != null) {
          Set<String> prev = tags.get(col);
          if (prev != null) {
            values = new HashSet<>(values);
            values.retainAll(prev);
          }
          tags.put(col, values);
        }
      }
    }
    int[] cols = projects != null ? projects : ScanSpec.all(schema).columns();
    // Filter columns must be read too: Calcite evaluates them after the scan.
    return new ScanSpec(withFilterColumns(cols, filters), min, max, tags, text);
  }

  private static RexNode stripCast(RexNode n) {
    while (n instanceof RexCall c && c.getKind() == SqlKind.CAST) {
      n = c.getOperands().get(0);
    }
    return n;
  }

  private static int[] withFilterColumns(int[] cols, List<RexNode> filters) {
    java.util.BitSet bits = new java.util.BitSet();
    for (int c : cols) {
      bits.set(c);
    }
    for (RexNode f : filters) {
      for (int i : org.apache.calcite.plan.RelOptUtil.InputFinder.bits(f)) {
        bits.set(i);
      }
    }
    return bits.stream().toArray();
  }

  private static Long millis(Object v) {
    if (v instanceof RexLiteral l) {
      return millis(l.getValue());
    }
    if (v instanceof TimestampString ts) {
      return ts.getMillisSinceEpoch();
    }
    if (v instanceof java.util.Calendar c) {
      return c.getTimeInMillis();
    }
    if (v instanceof Number n) {
      return n.longValue();
    }
    return null;
  }

  private static String string(Object v) {
    if (v instanceof NlsString s) {
      return s.getValue();
    }
    return v instanceof String s ? s : null;
  }

  private static Long max(Long a, Long b) {
    return a == null ? b : b == null ? a : Math.max(a, b);
  }

  private static Long min(Long a, Long b) {
    return a == null ? b : b == null ? a : Math.min(a, b);
  }
}

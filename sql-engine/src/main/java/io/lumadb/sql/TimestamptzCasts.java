package io.lumadb.sql;

import java.time.ZoneId;
import java.time.ZoneOffset;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.sql2rel.StandardConvertletTable;
import org.apache.calcite.util.TimestampString;

/**
 * Text literals cast to timestamptz (TIMESTAMP WITH LOCAL TIME ZONE), explicitly or by
 * Calcite's implicit coercion ({@code WHERE tz_col >= '2024-01-01 10:00:00+02'}), read with
 * PostgreSQL's timestamptz input rules: an offset or {@code Z} as written, else the session's
 * time zone. Calcite itself only reads {@code yyyy-MM-dd HH:mm:ss zone-id} there.
 *
 * <p>The zone comes from the dialect pre-pass ({@link PgDialect#rewrite(String, ZoneId)}),
 * which marks the statement it hands to Calcite on this thread; conversion to relational
 * algebra happens right after, on the same thread.
 */
final class TimestamptzCasts implements SqlRexConvertletTable {
  static final TimestamptzCasts INSTANCE = new TimestamptzCasts();
  private static final ThreadLocal<ZoneId> ZONE = ThreadLocal.withInitial(() -> ZoneOffset.UTC);

  private TimestamptzCasts() {}

  /** The session time zone of the statement this thread plans next. */
  static void nextStatementZone(ZoneId zone) {
    ZONE.set(zone);
  }

  @Override
  public SqlRexConvertlet get(SqlCall call) {
    SqlRexConvertlet standard = StandardConvertletTable.INSTANCE.get(call);
    if (call.getKind() != SqlKind.CAST || !(call.operand(0) instanceof SqlCharStringLiteral)) {
      return standard;
    }
    return (cx, c) -> {
      RelDataType target = cx.getValidator().getValidatedNodeType(c);
      if (target.getSqlTypeName() != SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
        return standard.convertCall(cx, c);
      }
      String text = ((SqlCharStringLiteral) c.operand(0)).getValueAs(String.class);
      long millis;
      try {
        millis = ValueCoercion.parseInstant(text, ZONE.get()).toEpochMilli();
      } catch (RuntimeException e) {
        throw new LumaException("22007", "invalid input syntax for type timestamp with time zone: \""
            + text + "\"");
      }
      RexBuilder rex = cx.getRexBuilder();
      RexNode literal = rex.makeTimestampWithLocalTimeZoneLiteral(
          TimestampString.fromMillisSinceEpoch(millis), target.getPrecision());
      return rex.makeCast(target, literal, false, false);
    };
  }
}

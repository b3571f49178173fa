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
 * Text literals cast to timestamptz (TIMESTAMP WITH LOCAL TIME ZONE) or timestamp, explicitly
 * or by Calcite's implicit coercion ({@code WHERE tz_col >= '2024-01-01 10:00:00+02'}), read
 * with PostgreSQL's input rules: for timestamptz an offset or {@code Z} as written, else the
 * session's time zone; for timestamp the same forms with any offset ignored, as PostgreSQL
 * does. Calcite itself only reads {@code yyyy-MM-dd HH:mm:ss zone-id} for timestamptz and
 * {@code yyyy-MM-dd HH:mm:ss} (no {@code T}, seconds required, no offset) for timestamp.
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
      SqlTypeName type = target.getSqlTypeName();
      if (type != SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE && type != SqlTypeName.TIMESTAMP) {
        return standard.convertCall(cx, c);
      }
      String text = ((SqlCharStringLiteral) c.operand(0)).getValueAs(String.class);
      boolean tz = type == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE;
      TimestampString ts;
      try {
        ts = tz ? TimestampString.fromMillisSinceEpoch(ValueCoercion.parseInstant(text, ZONE.get()).toEpochMilli())
            : new TimestampString(ValueCoercion.formatTimestamp(ValueCoercion.parseTimestampIgnoringZone(text)));
      } catch (RuntimeException e) {
        throw new LumaException("22007", "invalid input syntax for type timestamp"
            + (tz ? " with time zone" : "") + ": \"" + text + "\"");
      }
      RexBuilder rex = cx.getRexBuilder();
      int precision = target.getPrecision();
      RexNode literal = tz ? rex.makeTimestampWithLocalTimeZoneLiteral(ts, precision)
          : rex.makeTimestampLiteral(ts, precision);
      return rex.makeCast(target, literal, false, false);
    };
  }
}

package io.lumadb.sql;

import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.prepare.CalcitePrepareImpl;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;

/**
 * Calcite's statement preparation with LumaDB's parser settings where Calcite would otherwise use
 * its defaults (it parses a view's query, when a query over the view expands it, with a
 * default-configured core parser, which folds unquoted names to upper case), and LumaDB's
 * reading of timestamptz literals ({@link TimestamptzCasts}).
 */
final class LumaPrepare extends CalcitePrepareImpl {
  @SuppressWarnings("deprecation") // the hook Calcite calls is typed with the old builder
  @Override
  protected SqlParser.ConfigBuilder createParserConfig() {
    return SqlParser.configBuilder()
        .setParserFactory(SqlBabelParserImpl.FACTORY)
        .setConformance(SqlConformanceEnum.LENIENT)
        .setCaseSensitive(true)
        .setUnquotedCasing(Casing.TO_LOWER)
        .setQuotedCasing(Casing.UNCHANGED)
        .setQuoting(Quoting.DOUBLE_QUOTE);
  }

  /** Calcite's conversions, but text cast to timestamptz is read as PostgreSQL reads it. */
  @Override
  protected SqlRexConvertletTable createConvertletTable() {
    return TimestamptzCasts.INSTANCE;
  }
}

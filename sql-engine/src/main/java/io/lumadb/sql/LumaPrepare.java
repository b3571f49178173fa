package io.lumadb.sql;

import io.lumadb.sql.pgcatalog.PgCasts;
import io.lumadb.sql.pgcatalog.PgArrays;
import io.lumadb.storage.calcite.MemoryMeter;
import io.lumadb.storage.calcite.ResultScan;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.interpreter.BindableConvention;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.prepare.CalcitePrepareImpl;
import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;

/**
 * Calcite's statement preparation with LumaDB's parser settings where Calcite would otherwise use
 * its defaults (it parses a view's query, when a query over the view expands it, with a
 * default-configured core parser, which folds unquoted names to upper case), LumaDB's
 * validator ({@link LumaSqlValidator}, {@link PgConformance}), and LumaDB's conversions to
 * relational algebra ({@link TimestamptzCasts}, {@link PgArrays}, {@link PgCasts},
 * {@link NullOperandFolding}).
 */
final class LumaPrepare extends CalcitePrepareImpl {
  private static final SqlRexConvertletTable CONVERTLETS =
      new NullOperandFolding(new PgCasts(new PgArrays(TimestamptzCasts.INSTANCE)));

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

  @Override
  protected SqlRexConvertletTable createConvertletTable() {
    return CONVERTLETS;
  }

  /**
   * Calcite's preparing statement (built as {@code CalcitePrepareImpl} builds it) whose
   * validators, the statement's own and those of the views it expands, are LumaDB's and use
   * {@link PgConformance}: Calcite's validator factory is private and reads the conformance from
   * the connection property, which names only Calcite's enum.
   */
  @Override
  protected CalcitePreparingStmt getPreparingStmt(Context context, Type elementType,
      CalciteCatalogReader catalogReader, RelOptPlanner planner) {
    JavaTypeFactory typeFactory = context.getTypeFactory();
    EnumerableRel.Prefer prefer = elementType == Object[].class
        ? EnumerableRel.Prefer.ARRAY : EnumerableRel.Prefer.CUSTOM;
    return new CalcitePreparingStmt(this, withPgConformance(context), catalogReader, typeFactory,
        context.getRootSchema(), prefer, createCluster(planner, new RexBuilder(typeFactory)),
        enableBindable ? BindableConvention.INSTANCE : EnumerableConvention.INSTANCE,
        createConvertletTable()) {
      /**
       * Calcite's plan, with LumaDB's scan for its interpreter's (the root one hands its vectors to
       * the front end) and memory meters under the inputs Calcite's operators keep whole.
       */
      @Override
      protected RelRoot optimize(RelRoot root, List<Prepare.Materialization> materializations,
          List<CalciteSchema.LatticeEntry> lattices) {
        RelRoot r = ResultScan.install(super.optimize(root, materializations, lattices));
        return r.withRel(MemoryMeter.install(r.rel));
      }

      @Override
      protected SqlValidator createSqlValidator(Prepare.CatalogReader reader,
          UnaryOperator<SqlValidator.Config> transform) {
        return new LumaSqlValidator(super.createSqlValidator(reader,
            config -> transform.apply(config).withConformance(PgConformance.INSTANCE)));
      }
    };
  }

  /**
   * {@code context} with {@link PgConformance} as its configuration's conformance: Calcite's
   * preparation reads {@code checkedArithmetic} from there (not from the validator) when it
   * converts arithmetic to its checked operators, and the connection property names only
   * Calcite's enum.
   */
  private static Context withPgConformance(Context context) {
    CalciteConnectionConfig config = context.config();
    CalciteConnectionConfig pg = (CalciteConnectionConfig) Proxy.newProxyInstance(
        LumaPrepare.class.getClassLoader(), new Class<?>[] {CalciteConnectionConfig.class},
        (proxy, method, args) -> method.getName().equals("conformance") && method.getParameterCount() == 0
            ? PgConformance.INSTANCE : invoke(method, config, args));
    return (Context) Proxy.newProxyInstance(LumaPrepare.class.getClassLoader(), new Class<?>[] {Context.class},
        (proxy, method, args) -> method.getName().equals("config") && method.getParameterCount() == 0
            ? pg : invoke(method, context, args));
  }

  private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause();
    }
  }
}

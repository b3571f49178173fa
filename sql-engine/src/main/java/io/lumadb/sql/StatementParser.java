package io.lumadb.sql;

import io.lumadb.sql.SqlLexer.Kind;
import io.lumadb.sql.SqlLexer.Token;
import io.lumadb.storage.Column;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.TableId;
import io.lumadb.storage.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recognizes the statements LumaDB executes itself (DDL, INSERT, session commands) and parses
 * them; hands every other statement to Calcite unchanged.
 */
public final class StatementParser {
  private final String sql;
  private final List<Token> tokens;
  private int pos;

  private StatementParser(String sql) {
    this.sql = sql;
    this.tokens = SqlLexer.significant(sql);
  }

  /** Parses one statement (no trailing semicolon). */
  public static Statement parse(String sql) {
    return new StatementParser(sql).statement();
  }

  private Statement statement() {
    if (tokens.isEmpty()) {
      return new Statement.Query(sql);
    }
    Token first = tokens.get(0);
    if (first.isWord("create") && peekWord(1, "table")) {
      pos = 2;
      return createTable();
    }
    if (first.isWord("drop") && peekWord(1, "table")) {
      pos = 2;
      return dropTable();
    }
    if (first.isWord("alter") && peekWord(1, "table")) {
      pos = 2;
      return alterTable();
    }
    if (first.isWord("create") && (peekWord(1, "view") || (peekWord(1, "or") && peekWord(2, "replace"))
        || ((peekWord(1, "temp") || peekWord(1, "temporary") || peekWord(1, "recursive"))
            && peekWord(2, "view")))) {
      pos = 1;
      return createView();
    }
    if (first.isWord("drop") && peekWord(1, "view")) {
      pos = 2;
      return dropView();
    }
    if (first.isWord("create") && (peekWord(1, "index") || (peekWord(1, "unique") && peekWord(2, "index")))) {
      pos = 1;
      return createIndex();
    }
    if (first.isWord("drop") && peekWord(1, "index")) {
      pos = 2;
      return dropIndex();
    }
    if (first.isWord("insert") && peekWord(1, "into")) {
      pos = 2;
      return insert();
    }
    if (first.isWord("delete") && peekWord(1, "from")) {
      pos = 2;
      return delete();
    }
    if (first.isWord("truncate")) {
      pos = 1;
      acceptWord("table");
      acceptWord("only");
      List<TableId> tables = new ArrayList<>();
      do {
        tables.add(tableName());
      } while (accept(","));
      acceptWords("continue", "identity");
      acceptWords("restart", "identity");
      acceptWord("restrict");
      expectEnd();
      return new Statement.Truncate(tables);
    }
    if (first.isWord("copy")) {
      pos = 1;
      return copy();
    }
    if (first.isWord("set")) {
      pos = 1;
      return set();
    }
    if (first.isWord("reset")) {
      pos = 1;
      String name = settingName();
      expectEnd();
      return new Statement.Reset(name);
    }
    if (first.isWord("show")) {
      pos = 1;
      String name = settingName();
      expectEnd();
      return new Statement.Show(name);
    }
    if (first.isWord("begin") || (first.isWord("start") && peekWord(1, "transaction"))) {
      return new Statement.Transaction("BEGIN");
    }
    if (first.isWord("commit") || first.isWord("end")) {
      return new Statement.Transaction("COMMIT");
    }
    if (first.isWord("rollback") || first.isWord("abort")) {
      return new Statement.Transaction("ROLLBACK");
    }
    if (first.isWord("deallocate")) {
      pos = 1;
      acceptWord("prepare");
      String name = acceptWord("all") ? null : SqlLexer.identifier(next());
      expectEnd();
      return new Statement.Deallocate(name);
    }
    return new Statement.Query(sql);
  }

  private Statement createTable() {
    boolean ifNotExists = acceptWords("if", "not", "exists");
    TableId id = tableName();
    expect("(");
    List<Column> columns = new ArrayList<>();
    do {
      if (peekWord(0, "primary") || peekWord(0, "constraint") || peekWord(0, "unique")) {
        skipConstraint();
        continue;
      }
      columns.add(columnDef());
    } while (accept(","));
    expect(")");
    StringBuilder options = new StringBuilder();
    if (acceptWord("with")) {
      // Table options: ttl = '30d' (retention), timestamp = 'ts' (the time column),
      // index = 'body' (full-text indexed text columns, space separated), sort = 'a b' (the
      // text columns warm files are sorted by before time).
      expect("(");
      do {
        String key = SqlLexer.identifier(next());
        expect("=");
        Token value = next();
        if (!key.equals("ttl") && !key.equals("timestamp") && !key.equals("index") && !key.equals("sort")) {
          throw new LumaException("22023", "unrecognized table option \"" + key
              + "\" (known: ttl, timestamp, index, sort)");
        }
        String v = switch (value.kind()) {
          case STRING -> SqlLexer.stringValue(value);
          case WORD, QUOTED_IDENT -> SqlLexer.identifier(value);
          case NUMBER -> value.text();
          default -> throw syntaxError("syntax error at or near \"" + value.text() + "\"");
        };
        if (v.contains(",") || v.contains("=")) {
          throw new LumaException("22023", "invalid value for table option \"" + key + "\": " + v);
        }
        options.append(options.length() == 0 ? "" : ",").append(key).append('=').append(v);
      } while (accept(","));
      expect(")");
    }
    expectEnd();
    return new Statement.CreateTable(id, new TableSchema(columns), ifNotExists, options.toString());
  }

  private Column columnDef() {
    String name = SqlLexer.identifier(next());
    TypeSpec type = columnType();
    boolean nullable = true;
    while (peek() != null && !peekText(",") && !peekText(")")) {
      if (acceptWords("not", "null")) {
        nullable = false;
      } else if (acceptWord("null")) {
        nullable = true;
      } else if (acceptWords("primary", "key")) {
        nullable = false;
      } else if (acceptWord("unique")) {
        // accepted, not enforced
      } else {
        throw syntaxError("syntax error at or near \"" + peek().text() + "\"");
      }
    }
    return new Column(name, type.type(), nullable, type.typmod());
  }

  /** A column type and its modifier (numeric(p, s); -1 for none). */
  private record TypeSpec(ColumnType type, int typmod) {}

  /**
   * A type name as written in DDL: multi-word names, (length) accepted and ignored, numeric's
   * (precision[, scale]) kept.
   */
  private TypeSpec columnType() {
    StringBuilder typeName = new StringBuilder(SqlLexer.identifier(next()));
    // Multi-word type names.
    while (peek() != null && peek().kind() == Kind.WORD
        && List.of("precision", "varying").contains(peek().text().toLowerCase(Locale.ROOT))) {
      typeName.append(' ').append(next().text().toLowerCase(Locale.ROOT));
    }
    List<Integer> modifiers = new ArrayList<>();
    if (accept("(")) {
      // Length/precision: accepted, not enforced.
      do {
        Token t = next();
        boolean negative = t.text().equals("-");
        if (negative) {
          t = next();
        }
        if (t.kind() != Kind.NUMBER || !t.text().matches("\\d{1,9}")) {
          throw syntaxError("syntax error at or near \"" + t.text() + "\"");
        }
        modifiers.add(negative ? -Integer.parseInt(t.text()) : Integer.parseInt(t.text()));
      } while (accept(","));
      expect(")");
    }
    // timestamp [(p)] with[out] time zone
    if (typeName.toString().equalsIgnoreCase("timestamp")) {
      if (acceptWords("with", "time", "zone")) {
        typeName.append(" with time zone");
      } else if (acceptWords("without", "time", "zone")) {
        typeName.append(" without time zone");
      }
    }
    ColumnType type = ColumnType.fromSqlName(typeName.toString())
        .orElseThrow(() -> new LumaException("42704", "type \"" + typeName + "\" does not exist"));
    return new TypeSpec(type, type == ColumnType.NUMERIC ? numericTypmod(modifiers) : -1);
  }

  /** PostgreSQL's numeric typmod, with its errors; precision over 38 is not supported. */
  private static int numericTypmod(List<Integer> mods) {
    if (mods.isEmpty()) {
      return -1;
    }
    if (mods.size() > 2) {
      throw new LumaException("22023", "invalid NUMERIC type modifier");
    }
    int p = mods.get(0);
    int s = mods.size() > 1 ? mods.get(1) : 0;
    if (p < 1 || p > 1000) {
      throw new LumaException("22023", "NUMERIC precision " + p + " must be between 1 and 1000");
    }
    if (p > Column.MAX_NUMERIC_PRECISION) {
      throw new LumaException("0A000", "NUMERIC precision " + p + " is not supported: LumaDB's"
          + " numeric(p, s) holds up to " + Column.MAX_NUMERIC_PRECISION + " digits (numeric"
          + " without a precision holds any value)");
    }
    if (s < 0 || s > p) {
      throw new LumaException(s < -1000 || s > 1000 ? "22023" : "0A000", "NUMERIC scale " + s
          + " must be between 0 and precision " + p);
    }
    return Column.numericTypmod(p, s);
  }

  /**
   * ALTER TABLE [IF EXISTS] [ONLY] t ADD [COLUMN] [IF NOT EXISTS] c type [NULL], ... Every other
   * ALTER TABLE form is refused with 0A000: LumaDB's tables only ever gain nullable columns.
   */
  private Statement alterTable() {
    boolean ifExists = acceptWords("if", "exists");
    acceptWord("only");
    TableId id = tableName();
    List<Statement.AddColumn> adds = new ArrayList<>();
    do {
      Token action = next();
      if (!action.isWord("add")) {
        throw notSupported("ALTER TABLE ... " + action.text().toUpperCase(Locale.ROOT)
            + (peek() != null && peek().kind() == Kind.WORD ? " " + peek().text().toUpperCase(Locale.ROOT) : ""));
      }
      acceptWord("column");
      if (peekWord(0, "constraint") || peekWord(0, "primary") || peekWord(0, "unique")
          || peekWord(0, "check") || peekWord(0, "foreign") || peekWord(0, "exclude")) {
        throw notSupported("ALTER TABLE ... ADD " + peek().text().toUpperCase(Locale.ROOT));
      }
      boolean ifNotExists = acceptWords("if", "not", "exists");
      String name = SqlLexer.identifier(next());
      TypeSpec type = columnType();
      while (peek() != null && !peekText(",")) {
        if (acceptWord("null")) {
          continue;
        }
        if (peekWord(0, "not") && peekWord(1, "null")) {
          throw new LumaException("0A000", "ALTER TABLE ... ADD COLUMN ... NOT NULL is not supported:"
              + " existing rows read NULL in a new column (add it without NOT NULL)");
        }
        if (peekWord(0, "default")) {
          throw new LumaException("0A000", "ALTER TABLE ... ADD COLUMN ... DEFAULT is not supported:"
              + " existing rows read NULL in a new column");
        }
        throw notSupported("column constraint " + peek().text().toUpperCase(Locale.ROOT)
            + " in ALTER TABLE ... ADD COLUMN");
      }
      adds.add(new Statement.AddColumn(new Column(name, type.type(), true, type.typmod()), ifNotExists));
    } while (accept(","));
    expectEnd();
    return new Statement.AlterTableAddColumns(id, ifExists, adds);
  }

  private static LumaException notSupported(String what) {
    return new LumaException("0A000", what + " is not supported: LumaDB's ALTER TABLE only adds"
        + " nullable columns (ALTER TABLE t ADD [COLUMN] [IF NOT EXISTS] name type)");
  }

  /**
   * CREATE [OR REPLACE] VIEW v [(c, ...)] AS query. The query stays text: Session validates it
   * and the catalog keeps it as written.
   */
  private Statement createView() {
    boolean orReplace = acceptWords("or", "replace");
    if (acceptWord("temp") || acceptWord("temporary")) {
      throw new LumaException("0A000", "temporary views are not supported");
    }
    if (acceptWord("recursive")) {
      throw new LumaException("0A000", "recursive views are not supported");
    }
    if (!acceptWord("view")) {
      throw syntaxError("syntax error at or near \"" + (peek() == null ? "end of input" : peek().text()) + "\"");
    }
    TableId id = tableName();
    List<String> columns = new ArrayList<>();
    if (accept("(")) {
      do {
        columns.add(SqlLexer.identifier(next()));
      } while (accept(","));
      expect(")");
    }
    if (peekWord(0, "with")) {
      throw new LumaException("0A000", "view options (WITH (...)) are not supported");
    }
    if (!acceptWord("as")) {
      throw syntaxError("syntax error at or near \"" + (peek() == null ? "end of input" : peek().text()) + "\"");
    }
    if (!isQueryStart(pos)) {
      throw syntaxError("syntax error at or near \"" + (peek() == null ? "end of input" : peek().text()) + "\"");
    }
    int n = tokens.size();
    if (n >= 2 && tokens.get(n - 2).isWord("check") && tokens.get(n - 1).isWord("option")) {
      throw new LumaException("0A000", "WITH CHECK OPTION is not supported: LumaDB's views are read-only");
    }
    String query = sql.substring(peek().start(), tokens.get(n - 1).end());
    return new Statement.CreateView(id, columns, query, orReplace);
  }

  private Statement dropView() {
    DropTargets d = dropTargets();
    return new Statement.DropView(d.ids(), d.ifExists(), d.cascade());
  }

  /** What DROP TABLE/VIEW/INDEX share: [IF EXISTS] name [, ...] [CASCADE|RESTRICT]. */
  private record DropTargets(List<TableId> ids, boolean ifExists, boolean cascade) {}

  private DropTargets dropTargets() {
    boolean ifExists = acceptWords("if", "exists");
    List<TableId> ids = new ArrayList<>();
    do {
      ids.add(tableName());
    } while (accept(","));
    boolean cascade = acceptWord("cascade");
    if (!cascade) {
      acceptWord("restrict");
    }
    expectEnd();
    return new DropTargets(ids, ifExists, cascade);
  }

  /**
   * CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON [ONLY] table [USING btree]
   * (column [ASC|DESC] [NULLS FIRST|LAST], ...). Expression keys, INCLUDE, WHERE, WITH,
   * TABLESPACE and other access methods are refused with 0A000.
   */
  private Statement createIndex() {
    boolean unique = acceptWord("unique");
    expectWord("index");
    acceptWord("concurrently"); // the same end result; LumaDB never blocks writers for long
    boolean ifNotExists = acceptWords("if", "not", "exists");
    String name = null;
    if (!peekWord(0, "on")) {
      name = SqlLexer.identifier(next());
      if (peekText(".")) {
        throw syntaxError("syntax error at or near \".\"");
      }
    } else if (ifNotExists) {
      throw syntaxError("syntax error at or near \"" + peek().text() + "\"");
    }
    expectWord("on");
    acceptWord("only");
    TableId table = tableName();
    if (acceptWord("using")) {
      String method = SqlLexer.identifier(next());
      if (!method.equals("btree")) {
        throw new LumaException("0A000", "index access method \"" + method
            + "\" is not supported: LumaDB's indexes are btree declarations");
      }
    }
    expect("(");
    List<io.lumadb.storage.IndexDefinition.IndexColumn> columns = new ArrayList<>();
    do {
      Token t = next();
      if (t.text().equals("(") || peekText("(")) {
        throw new LumaException("0A000", "indexes on expressions are not supported: LumaDB indexes name columns");
      }
      if (t.kind() != Kind.WORD && t.kind() != Kind.QUOTED_IDENT) {
        throw syntaxError("syntax error at or near \"" + t.text() + "\"");
      }
      String column = SqlLexer.identifier(t);
      if (peekWord(0, "collate")) {
        throw new LumaException("0A000", "COLLATE in an index is not supported");
      }
      boolean desc = false;
      if (acceptWord("desc")) {
        desc = true;
      } else {
        acceptWord("asc");
      }
      boolean nullsFirst = desc;
      if (acceptWord("nulls")) {
        if (acceptWord("first")) {
          nullsFirst = true;
        } else {
          expectWord("last");
          nullsFirst = false;
        }
      }
      if (peek() != null && !peekText(",") && !peekText(")")) {
        Token extra = peek();
        if (extra.kind() == Kind.WORD) {
          throw new LumaException("0A000", "operator classes in an index are not supported (\""
              + extra.text() + "\")");
        }
        throw syntaxError("syntax error at or near \"" + extra.text() + "\"");
      }
      columns.add(new io.lumadb.storage.IndexDefinition.IndexColumn(column, desc, nullsFirst));
    } while (accept(","));
    expect(")");
    if (peek() != null) {
      String what = peek().text().toUpperCase(Locale.ROOT);
      if (List.of("INCLUDE", "WHERE", "WITH", "TABLESPACE", "NULLS").contains(what)) {
        throw new LumaException("0A000", "CREATE INDEX ... " + what + " is not supported");
      }
    }
    expectEnd();
    return new Statement.CreateIndex(name, table, columns, unique, ifNotExists);
  }

  private Statement dropIndex() {
    acceptWord("concurrently");
    DropTargets d = dropTargets();
    return new Statement.DropIndex(d.ids(), d.ifExists(), d.cascade());
  }

  private void expectWord(String w) {
    Token t = next();
    if (!t.isWord(w)) {
      throw syntaxError("syntax error at or near \"" + t.text() + "\"");
    }
  }

  private void skipConstraint() {
    int depth = 0;
    while (peek() != null) {
      if (depth == 0 && (peekText(",") || peekText(")"))) {
        return;
      }
      Token t = next();
      if (t.text().equals("(")) {
        depth++;
      } else if (t.text().equals(")")) {
        depth--;
      }
    }
  }

  private Statement dropTable() {
    DropTargets d = dropTargets();
    return new Statement.DropTable(d.ids(), d.ifExists(), d.cascade());
  }

  private Statement insert() {
    TableId id = tableName();
    List<String> columns = new ArrayList<>();
    if (peekText("(") && !isQueryStart(pos + 1)) {
      next();
      do {
        columns.add(SqlLexer.identifier(next()));
      } while (accept(","));
      expect(")");
    }
    Token start = peek();
    if (start == null) {
      throw syntaxError("syntax error at end of input");
    }
    if (start.isWord("default") && peekWord(1, "values")) {
      pos += 2;
      expectEnd();
      return new Statement.Insert(id, columns, null);
    }
    if (!isQueryStart(pos)) {
      throw syntaxError("syntax error at or near \"" + start.text() + "\"");
    }
    return new Statement.Insert(id, columns, sql.substring(start.start()));
  }

  /** DELETE FROM [ONLY] t [[AS] alias] [WHERE condition]; the condition is kept as text. */
  private Statement delete() {
    acceptWord("only");
    TableId id = tableName();
    String alias = null;
    if (acceptWord("as") || (peek() != null && peek().kind() != Kind.SEMICOLON && !peekWord(0, "where")
        && (peek().kind() == Kind.WORD || peek().kind() == Kind.QUOTED_IDENT))) {
      alias = SqlLexer.identifier(next());
    }
    if (acceptWord("where")) {
      Token start = peek();
      if (start == null) {
        throw syntaxError("syntax error at end of input");
      }
      if (peekWords("current", "of")) {
        throw new LumaException("0A000", "DELETE ... WHERE CURRENT OF is not supported");
      }
      int end = tokens.get(tokens.size() - 1).kind() == Kind.SEMICOLON
          ? tokens.get(tokens.size() - 1).start() : sql.length();
      if (containsWord("returning")) {
        throw new LumaException("0A000", "DELETE ... RETURNING is not supported");
      }
      return new Statement.Delete(id, alias, sql.substring(start.start(), end).trim());
    }
    if (peekWord(0, "returning")) {
      throw new LumaException("0A000", "DELETE ... RETURNING is not supported");
    }
    expectEnd();
    return new Statement.Delete(id, alias, null);
  }

  private boolean peekWords(String... ws) {
    for (int i = 0; i < ws.length; i++) {
      if (!peekWord(i, ws[i])) {
        return false;
      }
    }
    return true;
  }

  private boolean containsWord(String w) {
    for (int i = pos; i < tokens.size(); i++) {
      if (tokens.get(i).isWord(w)) {
        return true;
      }
    }
    return false;
  }

  private Statement copy() {
    TableId table = null;
    String query = null;
    List<String> columns = new ArrayList<>();
    if (peekText("(")) {
      int depth = 0;
      Token open = next();
      Token close = null;
      depth = 1;
      while (depth > 0) {
        Token t = next();
        if (t.text().equals("(")) {
          depth++;
        } else if (t.text().equals(")")) {
          depth--;
          close = t;
        }
      }
      query = sql.substring(open.end(), close.start()).strip();
    } else {
      table = tableName();
      if (accept("(")) {
        do {
          columns.add(SqlLexer.identifier(next()));
        } while (accept(","));
        expect(")");
      }
    }
    boolean in;
    if (acceptWord("from")) {
      in = true;
    } else if (acceptWord("to")) {
      in = false;
    } else {
      throw syntaxError("syntax error at or near \"" + (peek() == null ? "end of input" : peek().text()) + "\"");
    }
    if (in && query != null) {
      throw syntaxError("COPY (query) FROM is not possible: copy into a table");
    }
    Token target = next();
    if (!target.isWord(in ? "stdin" : "stdout")) {
      throw new LumaException("0A000", "COPY " + (in ? "FROM" : "TO") + " a file or program is not"
          + " supported: use " + (in ? "STDIN" : "STDOUT") + " (psql's \\copy reads and writes local files)");
    }
    boolean csv = false;
    Character delimiter = null;
    String nullString = null;
    boolean header = false;
    acceptWord("with");
    if (accept("(")) {
      do {
        String opt = SqlLexer.identifier(next());
        switch (opt) {
          case "format" -> {
            String f = SqlLexer.identifier(next());
            if (!f.equals("csv") && !f.equals("text")) {
              throw new LumaException("0A000", "COPY format \"" + f + "\" is not supported (text, csv)");
            }
            csv = f.equals("csv");
          }
          case "header" -> header = peek() == null || peekText(",") || peekText(")") || booleanOption(next());
          case "delimiter" -> delimiter = singleChar(next());
          case "null" -> nullString = SqlLexer.stringValue(next());
          default -> throw new LumaException("42601", "COPY option \"" + opt + "\" is not supported");
        }
      } while (accept(","));
      expect(")");
    } else {
      // The pre-9.0 syntax psql and older tools still send: CSV HEADER DELIMITER ',' NULL ''.
      while (peek() != null) {
        if (acceptWord("csv")) {
          csv = true;
        } else if (acceptWord("header")) {
          header = true;
        } else if (acceptWord("binary")) {
          throw new LumaException("0A000", "COPY BINARY is not supported: use text or csv");
        } else if (acceptWord("delimiter")) {
          acceptWord("as");
          delimiter = singleChar(next());
        } else if (acceptWord("null")) {
          acceptWord("as");
          nullString = SqlLexer.stringValue(next());
        } else {
          break;
        }
      }
    }
    expectEnd();
    CopyFormat base = csv ? CopyFormat.CSV : CopyFormat.TEXT;
    if (header && !csv) {
      throw new LumaException("0A000", "COPY HEADER is available only in CSV mode");
    }
    CopyFormat format = new CopyFormat(csv, delimiter != null ? delimiter : base.delimiter(),
        nullString != null ? nullString : base.nullString(), header);
    return new Statement.Copy(table, columns, query, in, format);
  }

  private static boolean booleanOption(Token t) {
    String v = t.kind() == Kind.STRING ? SqlLexer.stringValue(t) : t.text();
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "on", "1" -> true;
      case "false", "off", "0" -> false;
      default -> throw new LumaException("22023", "invalid boolean value \"" + v + "\"");
    };
  }

  private static char singleChar(Token t) {
    String v = SqlLexer.stringValue(t);
    if (v.length() != 1) {
      throw new LumaException("22023", "COPY delimiter must be a single one-byte character");
    }
    return v.charAt(0);
  }

  private boolean isQueryStart(int at) {
    Token t = at < tokens.size() ? tokens.get(at) : null;
    return t != null && (t.isWord("values") || t.isWord("select") || t.isWord("with")
        || (t.text().equals("(") && isQueryStart(at + 1)));
  }

  private Statement set() {
    if (acceptWord("session")) {
      // SET SESSION x = y is SET x = y
    } else if (acceptWord("local")) {
      // transaction-local settings are session settings here
    }
    if (acceptWords("time", "zone")) {
      return new Statement.Set("timezone", settingValue());
    }
    String name = settingName();
    if (!accept("=") && !acceptWord("to")) {
      throw syntaxError("syntax error at or near \"" + (peek() == null ? "end of input" : peek().text()) + "\"");
    }
    return new Statement.Set(name, settingValue());
  }

  private String settingName() {
    Token t = next();
    StringBuilder name = new StringBuilder(SqlLexer.identifier(t));
    while (accept(".")) {
      name.append('.').append(SqlLexer.identifier(next()));
    }
    if (name.toString().equals("time") && acceptWord("zone")) {
      return "timezone";
    }
    return name.toString();
  }

  private String settingValue() {
    if (peek() == null) {
      throw syntaxError("syntax error at end of input");
    }
    StringBuilder value = new StringBuilder();
    do {
      Token t = next();
      if (value.length() > 0) {
        value.append(", ");
      }
      if (t.kind() == Kind.STRING) {
        value.append(SqlLexer.stringValue(t));
      } else if (t.isWord("default")) {
        return null;
      } else if (t.text().equals("-") && peek() != null && peek().kind() == Kind.NUMBER) {
        value.append('-').append(next().text());
      } else {
        value.append(t.kind() == Kind.QUOTED_IDENT ? SqlLexer.identifier(t) : t.text());
      }
    } while (accept(","));
    expectEnd();
    return value.toString();
  }

  private TableId tableName() {
    String first = SqlLexer.identifier(next());
    if (accept(".")) {
      return new TableId(first, SqlLexer.identifier(next()));
    }
    return new TableId("public", first);
  }

  private Token peek() {
    return pos < tokens.size() ? tokens.get(pos) : null;
  }

  private boolean peekWord(int ahead, String w) {
    int i = pos + ahead;
    return i < tokens.size() && tokens.get(i).isWord(w);
  }

  private boolean peekText(String s) {
    Token t = peek();
    return t != null && t.text().equals(s);
  }

  private Token next() {
    if (pos >= tokens.size()) {
      throw syntaxError("syntax error at end of input");
    }
    return tokens.get(pos++);
  }

  private boolean accept(String s) {
    if (peekText(s)) {
      pos++;
      return true;
    }
    return false;
  }

  private boolean acceptWord(String w) {
    if (peekWord(0, w)) {
      pos++;
      return true;
    }
    return false;
  }

  private boolean acceptWords(String... ws) {
    if (!peekWords(ws)) {
      return false;
    }
    pos += ws.length;
    return true;
  }

  private void expect(String s) {
    Token t = next();
    if (!t.text().equals(s)) {
      throw syntaxError("syntax error at or near \"" + t.text() + "\"");
    }
  }

  private void expectEnd() {
    if (pos < tokens.size()) {
      throw syntaxError("syntax error at or near \"" + tokens.get(pos).text() + "\"");
    }
  }

  private static LumaException syntaxError(String message) {
    return new LumaException(ErrorCode.E003, message);
  }
}

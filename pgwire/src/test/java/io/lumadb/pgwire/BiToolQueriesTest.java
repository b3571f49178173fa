package io.lumadb.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lumadb.sql.SqlEngine;
import io.lumadb.storage.StorageConfig;
import io.lumadb.storage.StorageEngine;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs the introspection statements that DBeaver, Metabase, Grafana's PostgreSQL data source
 * and psqlODBC (Tableau) send (fixtures in {@code src/test/resources/bi/}, see
 * docs/research/bi-tool-queries.md) through pgjdbc, in the protocol each client uses, and
 * checks every answer with the fixture's {@code -- check:} lines. All failing statements of a
 * client are reported together.
 *
 * <p>Check DSL, one condition per line; a column is named by its label or by {@code #n}
 * (1-based), a value is compared with pgjdbc's {@code getString} ({@code NULL} for null,
 * booleans as {@code t}/{@code f}), and {@code $cpu} stands for cpu's OID:
 * <ul>
 *   <li>{@code update}: the statement returns no rows (a command);
 *   <li>{@code rows = N}, {@code rows >= N};
 *   <li>{@code columns a,b,c}: the result's column labels, exactly and in order;
 *   <li>{@code columns include a,b}: these labels appear among the columns;
 *   <li>{@code column C = v1,v2,..}: column C's values, row by row, exactly;
 *   <li>{@code column C has v} / {@code column C lacks v}: some row / no row has C = v;
 *   <li>{@code column C all v}: every row has C = v;
 *   <li>{@code column C starts s}: the first row's C starts with s;
 *   <li>{@code row C1=v1 C2=v2 ..}: some row has all of these values;
 *   <li>{@code ordered by C}: rows ascend by C (text order);
 *   <li>{@code wire T,C,..}: sent again as one simple Query on a raw socket, the types of the
 *       answering messages up to ReadyForQuery (ParameterStatus and notices left out).
 * </ul>
 * {@code -- skip: reason} leaves a statement out.
 */
class BiToolQueriesTest {
  static StorageEngine storage;
  static PgServer server;
  static int port;
  static String cpuOid;
  /** LumaDB's only database. */
  static final String DATABASE = "default";

  @BeforeAll
  static void start() throws Exception {
    storage = new StorageEngine(StorageConfig.DEFAULTS);
    SqlEngine engine = new SqlEngine(storage, new PrometheusRegistry());
    server = new PgServer(new PgConfig("127.0.0.1", 0, 10, Map.of("lumadb", "lumadb"),
        "password", 1 << 20), engine, new PrometheusRegistry());
    port = server.start();
    try (Connection c = connect(false); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE cpu (ts TIMESTAMP NOT NULL, hostname VARCHAR, "
          + "usage_user DOUBLE PRECISION)");
      // Rows, so that data queries and row counts have something to show.
      s.execute("INSERT INTO cpu VALUES ('2024-01-01 00:00:00', 'host_a', 10.5), "
          + "('2024-01-01 00:01:30', 'host_b', 20.5), ('2024-01-02 00:00:00', NULL, 30.5)");
      try (ResultSet rs = s.executeQuery("SELECT 'cpu'::regclass::oid")) {
        assertTrue(rs.next());
        cpuOid = rs.getString(1);
      }
    }
  }

  @AfterAll
  static void stop() {
    server.close();
    storage.close();
  }

  static Connection connect(boolean simple) throws SQLException {
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/default"
        + (simple ? "?preferQueryMode=simple" : "");
    return DriverManager.getConnection(url, "lumadb", "lumadb");
  }

  /** A statement of a fixture file with its checks. */
  record Case(String when, String sql, List<String> checks, String skip) {}

  static List<Case> parse(String file) throws IOException {
    String text;
    try (InputStream in = BiToolQueriesTest.class.getResourceAsStream("/bi/" + file)) {
      text = new String(Objects.requireNonNull(in, file).readAllBytes(), StandardCharsets.UTF_8);
    }
    List<Case> out = new ArrayList<>();
    for (String chunk : text.split("(?m)^-- next\\s*$")) {
      String when = null;
      String skip = null;
      List<String> checks = new ArrayList<>();
      StringBuilder sql = new StringBuilder();
      for (String line : chunk.split("\n", -1)) {
        if (sql.length() == 0 && (line.isBlank() || line.startsWith("--"))) {
          if (line.startsWith("-- check:")) {
            checks.add(line.substring("-- check:".length()).trim());
          } else if (line.startsWith("-- skip:")) {
            skip = line.substring("-- skip:".length()).trim();
          } else if (line.startsWith("-- ") && !line.startsWith("-- expect:")) {
            when = line.substring(3).trim();
          }
          continue;
        }
        sql.append(line).append('\n');
      }
      String s = sql.toString().strip();
      if (s.endsWith(";")) {
        s = s.substring(0, s.length() - 1);
      }
      if (!s.isEmpty()) {
        out.add(new Case(when, s, checks, skip));
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"psqlodbc.sql, true", "grafana.sql, true", "dbeaver.sql, false",
      "metabase.sql, false"})
  void fixtureStatementsAnswerCorrectly(String file, boolean simple) throws Exception {
    List<Case> cases = parse(file);
    assertTrue(cases.size() >= 5, "too few statements in " + file);
    List<String> failures = new ArrayList<>();
    int ran = 0;
    try (Connection c = connect(simple)) {
      for (int i = 0; i < cases.size(); i++) {
        Case k = cases.get(i);
        if (k.skip() != null) {
          continue;
        }
        String label = file + " #" + (i + 1) + " (" + k.when() + ")";
        if (k.checks().isEmpty()) {
          failures.add(label + ": no -- check: line");
          continue;
        }
        ran++;
        // The fixtures were captured on database postgres with cpu at OID 16384.
        String sql = k.sql().replaceAll("\\b16384\\b", cpuOid)
            .replace("'postgres'", "'" + DATABASE + "'");
        try {
          List<String> problems = run(c, sql, k.checks());
          if (!problems.isEmpty()) {
            failures.add(label + ": " + String.join("; ", problems));
          }
        } catch (SQLException | IOException | RuntimeException e) {
          failures.add(label + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
      }
    }
    if (!failures.isEmpty()) {
      fail(failures.size() + " of " + ran + " statements of " + file + " failed:\n  "
          + String.join("\n  ", failures));
    }
  }

  /** Grafana's health check: pgx sends "-- ping", lib/pq sends ";". */
  @Test
  void grafanaPingGetsEmptyQueryResponse() throws Exception {
    assertEquals(List.of("I"), wire("-- ping"));
    assertEquals(List.of("I"), wire(";"));
  }

  /** The result of one statement, read into memory. */
  record Result(List<String> columns, List<List<String>> rows) {
    int column(String ref) {
      if (ref.startsWith("#")) {
        return Integer.parseInt(ref.substring(1)) - 1;
      }
      int at = columns.indexOf(ref);
      if (at < 0) {
        throw new IllegalArgumentException("no column " + ref + " in " + columns);
      }
      return at;
    }

    List<String> values(String ref) {
      int at = column(ref);
      List<String> out = new ArrayList<>();
      rows.forEach(r -> out.add(r.get(at)));
      return out;
    }
  }

  static List<String> run(Connection c, String sql, List<String> checks)
      throws SQLException, IOException {
    Result last = null;
    try (Statement s = c.createStatement()) {
      boolean isQuery = s.execute(sql);
      while (true) {
        if (isQuery) {
          try (ResultSet rs = s.getResultSet()) {
            last = read(rs);
          }
        } else if (s.getUpdateCount() == -1) {
          break;
        }
        isQuery = s.getMoreResults();
      }
    }
    List<String> problems = new ArrayList<>();
    for (String check : checks) {
      String p = check(check.replace("$cpu", cpuOid), last, sql);
      if (p != null) {
        problems.add(p);
      }
    }
    return problems;
  }

  static Result read(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    List<String> columns = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      columns.add(md.getColumnLabel(i));
    }
    List<List<String>> rows = new ArrayList<>();
    while (rs.next()) {
      List<String> row = new ArrayList<>();
      for (int i = 1; i <= columns.size(); i++) {
        String v = rs.getString(i);
        row.add(v == null ? "NULL" : v.equals("true") ? "t" : v.equals("false") ? "f" : v);
      }
      rows.add(row);
    }
    return new Result(columns, rows);
  }

  private static final Pattern ROWS = Pattern.compile("rows (=|>=) (\\d+)");
  private static final Pattern COLUMN = Pattern.compile("column (\\S+) (=|has|lacks|all|starts) (.*)");

  /** Null if the check holds, else what is wrong. */
  static String check(String check, Result r, String sql) throws IOException {
    if (check.equals("update")) {
      return r == null ? null : "expected no result set, got columns " + r.columns();
    }
    if (check.startsWith("wire ")) {
      List<String> expected = List.of(check.substring(5).trim().split(","));
      List<String> got = wire(sql);
      return got.equals(expected) ? null : "wire: expected " + expected + ", got " + got;
    }
    if (r == null) {
      return check + ": no result set";
    }
    Matcher m = ROWS.matcher(check);
    if (m.matches()) {
      int n = Integer.parseInt(m.group(2));
      int got = r.rows().size();
      boolean ok = m.group(1).equals("=") ? got == n : got >= n;
      return ok ? null : check + ": got " + got + " rows " + preview(r);
    }
    if (check.startsWith("columns include ")) {
      List<String> want = List.of(check.substring("columns include ".length()).split(","));
      return r.columns().containsAll(want) ? null : check + ": columns are " + r.columns();
    }
    if (check.startsWith("columns ")) {
      List<String> want = List.of(check.substring("columns ".length()).split(","));
      return r.columns().equals(want) ? null : check + ": columns are " + r.columns();
    }
    if (check.startsWith("ordered by ")) {
      List<String> values = r.values(check.substring("ordered by ".length()).trim());
      List<String> sorted = new ArrayList<>(values);
      sorted.sort(null);
      return values.equals(sorted) ? null : check + ": order is " + values;
    }
    if (check.startsWith("row ")) {
      List<String[]> wanted = new ArrayList<>();
      // name=value pairs; a value may hold spaces, the next pair starts at "name=".
      for (String kv : check.substring(4).trim().split("\\s+(?=[^\\s=]+=)")) {
        wanted.add(kv.split("=", 2));
      }
      for (List<String> row : r.rows()) {
        boolean all = true;
        for (String[] kv : wanted) {
          all &= row.get(r.column(kv[0])).equals(kv[1]);
        }
        if (all) {
          return null;
        }
      }
      return check + ": no such row " + preview(r);
    }
    m = COLUMN.matcher(check);
    if (m.matches()) {
      List<String> values = r.values(m.group(1));
      String arg = m.group(3).trim();
      boolean ok = switch (m.group(2)) {
        case "=" -> values.equals(Arrays.asList(arg.split(",", -1)));
        case "has" -> values.contains(arg);
        case "lacks" -> !values.contains(arg);
        case "all" -> values.stream().allMatch(arg::equals);
        case "starts" -> !values.isEmpty() && values.get(0).startsWith(arg);
        default -> false;
      };
      return ok ? null : check + ": values are " + abbreviate(values);
    }
    throw new IllegalArgumentException("unknown check: " + check);
  }

  static String preview(Result r) {
    return "(columns " + r.columns() + ", rows " + abbreviate(r.rows()) + ")";
  }

  static String abbreviate(List<?> list) {
    return list.size() <= 5 ? list.toString() : list.subList(0, 5) + "... (" + list.size() + ")";
  }

  // The raw protocol, for what pgjdbc does not show: message sequence, EmptyQueryResponse.

  /** Sends one simple Query; the types of the messages answering it, before ReadyForQuery. */
  static List<String> wire(String sql) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write(startup());
      readUntil(s, 'R');
      s.getOutputStream().write(frame('p', cstr("lumadb")));
      readUntil(s, 'Z');
      s.getOutputStream().write(frame('Q', cstr(sql)));
      List<String> types = new ArrayList<>();
      DataInputStream in = new DataInputStream(s.getInputStream());
      while (true) {
        char t = (char) in.readUnsignedByte();
        byte[] body = new byte[in.readInt() - 4];
        in.readFully(body);
        if (t == 'Z') {
          return types;
        }
        if (t == 'E') {
          types.add("E(" + new String(body, StandardCharsets.UTF_8).replace('\0', ' ').trim()
              + ")");
        } else if (t != 'S' && t != 'N') {
          types.add(String.valueOf(t));
        }
      }
    }
  }

  static byte[] startup() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(body);
    d.writeInt(196608);
    for (String s : List.of("user", "lumadb", "database", "default", "")) {
      d.write(s.getBytes(StandardCharsets.UTF_8));
      d.write(0);
    }
    return frame(null, body.toByteArray());
  }

  static byte[] frame(Character type, byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(out);
    if (type != null) {
      d.write(type);
    }
    d.writeInt(body.length + 4);
    d.write(body);
    return out.toByteArray();
  }

  static byte[] cstr(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return Arrays.copyOf(b, b.length + 1);
  }

  static void readUntil(Socket s, char type) throws IOException {
    DataInputStream in = new DataInputStream(s.getInputStream());
    while (true) {
      char t = (char) in.readUnsignedByte();
      byte[] body = new byte[in.readInt() - 4];
      in.readFully(body);
      if (t == type) {
        return;
      }
    }
  }
}

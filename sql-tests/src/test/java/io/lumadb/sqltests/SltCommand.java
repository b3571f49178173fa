package io.lumadb.sqltests;

import io.lumadb.server.testing.PostgresTestServer;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs scripts by hand, outside JUnit, against an in-process LumaDB or a throw-away PostgreSQL 15;
 * used to measure the PostgreSQL baseline and to check expected results. Arguments:
 * <pre>
 *   --target lumadb|postgres     (default lumadb)
 *   --corpus GLOB                corpus files from the sql-logic-test jar, e.g. 'test/select1.test'
 *   --slt PATH                   an .slt file or a folder of them
 *   --failures FILE              write every failure there
 *   --every N                    run every N-th query only (as SqliteCorpusTest's sample)
 *   --complete                   rewrite the expected results of the --slt files with the
 *                                target's results (completion mode; use with --target postgres)
 * </pre>
 * Prints one line per file and a Markdown table row per file (file, queries, passed, failed).
 */
public final class SltCommand {
  private SltCommand() {}

  public static void main(String[] args) throws Exception {
    String target = "lumadb";
    String frontEnd = "pgwire";
    List<String> globs = new ArrayList<>();
    List<Path> slts = new ArrayList<>();
    Path failuresFile = null;
    boolean complete = false;
    int every = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--target" -> target = args[++i];
        case "--corpus" -> globs.add(args[++i]);
        case "--slt" -> slts.add(Path.of(args[++i]));
        case "--failures" -> failuresFile = Path.of(args[++i]);
        case "--complete" -> complete = true;
        case "--every" -> every = Integer.parseInt(args[++i]);
        case "--front-end" -> frontEnd = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (complete && !target.equals("postgres")) {
      // Expected results come from the reference, never from the engine under test.
      throw new IllegalArgumentException("--complete needs --target postgres");
    }
    List<String[]> scripts = new ArrayList<>();
    for (String f : SqliteCorpus.files(globs)) {
      scripts.add(new String[] {f, null});
    }
    for (Path p : slts) {
      try (Stream<Path> s = Files.walk(p)) {
        s.filter(f -> f.toString().endsWith(".slt")).sorted()
            .forEach(f -> scripts.add(new String[] {f.toString(), f.toString()}));
      }
    }
    AutoCloseable server;
    SqlFrontEnd db;
    Set<String> names;
    if (target.equals("postgres")) {
      PostgresTestServer pg = PostgresTestServer.start();
      server = pg;
      db = JdbcFrontEnd.postgres(pg);
      names = SltRunner.names("postgresql");
    } else {
      LumaTestServer luma = LumaTestServer.start();
      server = luma;
      String wanted = frontEnd;
      db = FrontEnds.ALL.stream().filter(f -> f.name().equals(wanted)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("--front-end: pgwire, grpc or avatica"))
          .open().apply(luma);
      names = FrontEnds.LUMADB_NAMES;
    }
    List<String> table = new ArrayList<>();
    long total = System.nanoTime();
    try (PrintWriter failures = failuresFile == null ? null
        : new PrintWriter(Files.newBufferedWriter(failuresFile, StandardCharsets.UTF_8))) {
      SltRunner runner = new SltRunner(db, names).sampleQueries(every);
      for (String[] s : scripts) {
        if (complete && s[1] != null) {
          List<String> problems = SltCompleter.complete(Path.of(s[1]), db, names);
          System.out.println("completed " + s[1] + (problems.isEmpty() ? "" : ", not completed:"));
          problems.forEach(p -> System.out.println("  " + p.replace("\n", "\n  ")));
          continue;
        }
        String text = s[1] == null ? SqliteCorpus.read(s[0])
            : Files.readString(Path.of(s[1]), StandardCharsets.UTF_8);
        SltReport r = runner.run(s[0], text);
        System.out.println(r.summary());
        table.add("| " + s[0] + " | " + r.queries() + " | " + r.passed() + " | " + r.failed()
            + " | " + r.skipped() + " |");
        if (failures != null) {
          for (SltReport.SltFailure f : r.failures()) {
            failures.println(f);
            failures.println();
          }
          failures.flush();
        }
      }
    } finally {
      db.close();
      server.close();
    }
    System.out.printf("%n%s: %d scripts in %.1f s%n", target, scripts.size(),
        (System.nanoTime() - total) / 1e9);
    System.out.println("| file | queries | passed | failed | skipped |");
    table.forEach(System.out::println);
  }
}

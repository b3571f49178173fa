package io.lumadb.sqltests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * LumaDB's own .slt files (src/test/resources/slt) through every front end, one test per file
 * and front end. A file fails with every failing record listed (file, line, SQL, expected,
 * actual). Cases LumaDB does not pass yet are marked {@code skipif lumadb} in the files.
 */
class LumaSltTest {
  static LumaTestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = LumaTestServer.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * Runs the file again as plain {@code postgresql}, so the records marked {@code skipif lumadb}
   * run too, and prints those that pass now: their marker can go.
   */
  static void remindOfPassingSkips(SqlFrontEnd db, String file, String text) {
    List<SltRecord> records = SltParser.parse(file, text);
    Set<Integer> marked = new TreeSet<>();
    for (SltRecord rec : records) {
      if (rec.conditions().contains(new SltRecord.Condition(false, "lumadb"))) {
        marked.add(rec.line());
      }
    }
    if (marked.isEmpty()) {
      return;
    }
    SltReport all = new SltRunner(db, SltRunner.names("postgresql")).run(file, records);
    Set<Integer> failing = new TreeSet<>();
    all.failures().forEach(f -> failing.add(f.line()));
    marked.removeAll(failing);
    for (int line : marked) {
      System.out.println("  REMINDER: " + file + ":" + line + " is marked skipif lumadb but passes"
          + " now: remove the marker");
    }
  }

  @TestFactory
  Stream<DynamicTest> sltFiles() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (FrontEnds.FrontEnd fe : FrontEnds.ALL) {
      for (String file : TestResources.list("slt", ".slt")) {
        tests.add(DynamicTest.dynamicTest(fe.name() + ": " + file, () -> {
          String text = TestResources.read("slt/" + file);
          try (SqlFrontEnd db = fe.open().apply(server)) {
            SltReport r = new SltRunner(db, FrontEnds.LUMADB_NAMES).run("slt/" + file, text);
            System.out.println(r.summary());
            assertEquals(0, r.failed(), () -> r.details(50));
            remindOfPassingSkips(db, "slt/" + file, text);
          }
        }));
      }
    }
    return tests.stream();
  }
}

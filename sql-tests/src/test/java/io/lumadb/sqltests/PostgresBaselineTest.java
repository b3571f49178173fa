package io.lumadb.sqltests;

import io.lumadb.server.testing.PostgresTestServer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The reference: a real PostgreSQL 15 must pass every record of our .slt files (including those
 * marked {@code skipif lumadb}, which PostgreSQL runs) and of the corpus sample, so expected
 * results are PostgreSQL's and the runner is right. Skipped when the PostgreSQL server binaries
 * are not installed (CI installs the {@code postgresql} package).
 */
class PostgresBaselineTest {
  static PostgresTestServer pg;
  static SqlFrontEnd db;

  @BeforeAll
  static void start() throws Exception {
    pg = PostgresTestServer.startOrSkip();
    db = JdbcFrontEnd.postgres(pg);
  }

  @AfterAll
  static void stop() {
    if (db != null) {
      db.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> ownFilesPassOnPostgres() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (String file : TestResources.list("slt", ".slt")) {
      tests.add(DynamicTest.dynamicTest(file, () -> {
        SltReport r = new SltRunner(db, SltRunner.names("postgresql"))
            .run("slt/" + file, TestResources.read("slt/" + file));
        assertEquals(0, r.failed(), () -> r.details(50));
      }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> corpusSamplePassesOnPostgres() throws Exception {
    Properties golden = new Properties();
    golden.load(new StringReader(TestResources.read(SqliteCorpusTest.GOLDEN)));
    int every = Integer.parseInt(golden.getProperty("sample.every", "1").trim());
    List<String> globs = Arrays.stream(golden.getProperty("files").split(","))
        .map(String::trim).toList();
    List<DynamicTest> tests = new ArrayList<>();
    for (String file : SqliteCorpus.files(globs)) {
      tests.add(DynamicTest.dynamicTest(file, () -> {
        SltReport r = new SltRunner(db, SltRunner.names("postgresql")).sampleQueries(every)
            .run(file, SqliteCorpus.read(file));
        assertEquals(0, r.failed(), () -> r.details(20));
      }));
    }
    return tests.stream();
  }
}

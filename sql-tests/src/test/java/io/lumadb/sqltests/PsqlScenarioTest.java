package io.lumadb.sqltests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * psql scenarios: each src/test/resources/psql/NAME.sql is fed to the real psql binary against
 * an in-process LumaDB, and psql's output (stdout and stderr together) must equal NAME.out.
 * {@code -Dpsql.updateGolden=true} rewrites the .out files; do that only after comparing with
 * what psql prints for PostgreSQL 15 ({@link PsqlCompare}).
 */
class PsqlScenarioTest {
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

  @TestFactory
  Stream<DynamicTest> scenarios() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (String file : TestResources.list("psql", ".sql")) {
      String name = file.substring(0, file.length() - ".sql".length());
      tests.add(DynamicTest.dynamicTest(name, () -> {
        PsqlScript s = PsqlScript.parse(name, TestResources.read("psql/" + file));
        PsqlScript.Result r = s.run(server.pgPort(), LumaTestServer.USER,
            LumaTestServer.PASSWORD, LumaTestServer.DATABASE);
        if (Boolean.getBoolean("psql.updateGolden")) {
          Path out = TestResources.sourceFolder().resolve("psql/" + name + ".out");
          Files.writeString(out, r.output(), StandardCharsets.UTF_8);
          System.out.println("wrote " + out);
          return;
        }
        String expected = TestResources.exists("psql/" + name + ".out")
            ? TestResources.read("psql/" + name + ".out") : "(no psql/" + name + ".out)";
        assertEquals(expected, r.output(), "psql output of psql/" + file);
        assertEquals(s.exitCode(), r.exitCode(), "psql exit status for psql/" + file);
      }));
    }
    return tests.stream();
  }
}

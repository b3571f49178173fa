package io.lumadb.sqltests;

import io.lumadb.server.testing.PostgresTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs every psql scenario against an in-process LumaDB and a throw-away PostgreSQL 15 and prints
 * the differences (diff -u, PostgreSQL first), to check a golden before it is written. Run by
 * hand; see sql-tests/README.md.
 */
public final class PsqlCompare {
  private PsqlCompare() {}

  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Path.of("src/test/resources/psql");
    Path tmp = Files.createTempDirectory("psql-compare");
    try (LumaTestServer luma = LumaTestServer.start(); PostgresTestServer pg = PostgresTestServer.start();
        var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".sql")).sorted().toList()) {
        String name = f.getFileName().toString().replace(".sql", "");
        PsqlScript s = PsqlScript.parse(name, Files.readString(f, StandardCharsets.UTF_8));
        PsqlScript.Result l = s.run(luma.pgPort(), LumaTestServer.USER, LumaTestServer.PASSWORD,
            LumaTestServer.DATABASE);
        PsqlScript.Result p = s.run(pg.port(), LumaTestServer.USER, LumaTestServer.PASSWORD,
            LumaTestServer.DATABASE);
        Path lf = tmp.resolve(name + ".lumadb");
        Path pf = tmp.resolve(name + ".postgres");
        Files.writeString(lf, l.output() + "(exit " + l.exitCode() + ")\n");
        Files.writeString(pf, p.output() + "(exit " + p.exitCode() + ")\n");
        Process d = new ProcessBuilder("diff", "-u", pf.toString(), lf.toString())
            .redirectErrorStream(true).start();
        String diff = new String(d.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        d.waitFor();
        System.out.println("=== " + name + (diff.isEmpty() ? ": same output" : ":\n" + diff));
      }
    } finally {
      LumaTestServer.deleteTree(tmp);
    }
  }
}

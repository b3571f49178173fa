package io.lumadb.sqltests;

import java.util.List;
import java.util.function.Function;

/**
 * The front ends every .slt file runs through: pgwire (pgjdbc), the gRPC QueryService and
 * Avatica JDBC. Each entry opens a {@link SqlFrontEnd} to a started server.
 */
final class FrontEnds {
  private FrontEnds() {}

  record FrontEnd(String name, Function<LumaTestServer, SqlFrontEnd> open) {}

  static final List<FrontEnd> ALL = List.of(
      new FrontEnd("pgwire", LumaTestServer::pgwire),
      new FrontEnd("grpc", LumaTestServer::grpc),
      new FrontEnd("avatica", LumaTestServer::avatica));

  /** The names LumaDB answers to in skipif/onlyif, whatever the front end. */
  static final java.util.Set<String> LUMADB_NAMES = SltRunner.names("lumadb", "postgresql");
}

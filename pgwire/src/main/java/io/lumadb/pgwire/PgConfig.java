package io.lumadb.pgwire;

import java.util.Map;

/**
 * Settings of the PostgreSQL endpoint.
 *
 * @param users user name to password
 * @param authMethod "md5", "password" (cleartext) or "trust"
 * @param maxMessageBytes largest client message accepted; larger ones close the connection
 */
public record PgConfig(
    String host, int port, int maxConnections, Map<String, String> users, String authMethod,
    int maxMessageBytes) {
  public PgConfig {
    users = Map.copyOf(users);
    if (!authMethod.equals("md5") && !authMethod.equals("password") && !authMethod.equals("trust")) {
      throw new IllegalArgumentException("unknown auth method " + authMethod);
    }
  }

  public static PgConfig defaults() {
    return new PgConfig("127.0.0.1", 5432, 100, Map.of("lumadb", "lumadb"), "md5", 64 << 20);
  }

  public PgConfig withPort(int p) {
    return new PgConfig(host, p, maxConnections, users, authMethod, maxMessageBytes);
  }
}

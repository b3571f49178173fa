package io.lumadb.pgwire;

import java.nio.file.Path;
import java.util.Map;

/**
 * Settings of the PostgreSQL endpoint.
 *
 * @param users user name to password (or, for scram-sha-256 only, a SCRAM-SHA-256 verifier as
 *     PostgreSQL stores it: {@code SCRAM-SHA-256$4096:salt$StoredKey:ServerKey})
 * @param authMethod "scram-sha-256", "md5", "password" (cleartext) or "trust"
 * @param maxMessageBytes largest client message accepted; larger ones close the connection
 * @param tls certificate and key for TLS through SSLRequest, or null to answer SSLRequest 'N'
 * @param rateLimit statements per second each user may run (all of its sessions together),
 *     or null for no limit
 */
public record PgConfig(
    String host, int port, int maxConnections, Map<String, String> users, String authMethod,
    int maxMessageBytes, Tls tls, RateLimit rateLimit) {
  /**
   * TLS settings: PEM files of the certificate chain and of the PKCS#8 private key.
   *
   * @param required when true, a client that does not ask for TLS is refused (28000)
   */
  public record Tls(Path certFile, Path keyFile, boolean required) {}

  /**
   * A token bucket per user: {@code perSecond} statements refill each second, up to
   * {@code burst} may run at once. Past it a statement fails with E002 (SQLSTATE 53400).
   */
  public record RateLimit(double perSecond, int burst) {
    public RateLimit {
      if (!(perSecond > 0) || burst < 1) {
        throw new IllegalArgumentException("rate limit needs a positive rate and a burst of at least 1");
      }
    }
  }

  public PgConfig(String host, int port, int maxConnections, Map<String, String> users,
      String authMethod, int maxMessageBytes) {
    this(host, port, maxConnections, users, authMethod, maxMessageBytes, null, null);
  }

  public PgConfig {
    users = Map.copyOf(users);
    if (!java.util.List.of("scram-sha-256", "md5", "password", "trust").contains(authMethod)) {
      throw new IllegalArgumentException("unknown auth method " + authMethod);
    }
    if (!authMethod.equals("scram-sha-256")) {
      for (var e : users.entrySet()) {
        if (ScramAuthenticator.Verifier.parse(e.getValue()) != null) {
          throw new IllegalArgumentException("user " + e.getKey() + " has a SCRAM-SHA-256 verifier as"
              + " password, which only auth_method = \"scram-sha-256\" can check");
        }
      }
    }
  }

  public static PgConfig defaults() {
    return new PgConfig("127.0.0.1", 5432, 100, Map.of("lumadb", "lumadb"), "scram-sha-256", 64 << 20);
  }

  public PgConfig withPort(int p) {
    return new PgConfig(host, p, maxConnections, users, authMethod, maxMessageBytes, tls, rateLimit);
  }

  /** A SCRAM-SHA-256 verifier for a password, to put in the config instead of the password. */
  public static String scramVerifier(String password) {
    return ScramAuthenticator.Verifier.fromPassword(password).format();
  }
}

package io.lumadb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.server.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS through SSLRequest (pgjdbc verifying the certificate, the real psql reporting an SSL
 * connection, a plaintext client refused when TLS is required) and the per-user statement
 * rate limit (E002, SQLSTATE 53400, the session stays usable).
 */
class TlsAndRateLimitTest {
  @TempDir
  static Path certs;

  @TempDir
  Path dir;

  static Path cert;
  static Path key;

  /** A self-signed certificate for localhost / 127.0.0.1, made by the openssl binary. */
  @BeforeAll
  static void makeCertificate() throws Exception {
    cert = certs.resolve("server.crt");
    key = certs.resolve("server.key");
    Process p = new ProcessBuilder(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
        "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1")).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl failed: " + out);
  }

  private LumaServer start(String postgresExtra) throws Exception {
    LumaServer s = new LumaServer(TestServers.config(dir, postgresExtra, ""));
    s.start();
    return s;
  }

  private static String tlsToml(boolean required) {
    return "tls_cert_file = \"%s\"\ntls_key_file = \"%s\"\ntls_required = %s\n".formatted(cert, key, required);
  }

  private static Connection connect(int port, String sslmode) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "lumadb");
    p.setProperty("password", "lumadb");
    p.setProperty("sslmode", sslmode);
    p.setProperty("sslrootcert", cert.toString());
    return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/default", p);
  }

  @Test
  void pgjdbcVerifiesTheCertificateAndPlaintextIsRefusedWhenRequired() throws Exception {
    try (LumaServer s = start(tlsToml(true))) {
      try (Connection c = connect(s.pgPort(), "verify-full");
          ResultSet rs = c.createStatement().executeQuery("SELECT 40 + 2")) {
        assertTrue(rs.next());
        assertEquals(42, rs.getInt(1));
      }
      SQLException e = assertThrows(SQLException.class, () -> connect(s.pgPort(), "disable"));
      assertEquals("28000", e.getSQLState());
      assertTrue(e.getMessage().contains("requires TLS"), e.getMessage());
      // the server still serves TLS clients afterwards
      try (Connection c = connect(s.pgPort(), "require")) {
        assertTrue(c.isValid(5));
      }
    }
  }

  @Test
  void psqlReportsAnEncryptedConnection() throws Exception {
    try (LumaServer s = start(tlsToml(false))) {
      String conn = "host=localhost port=%d user=lumadb dbname=default sslmode=verify-full sslrootcert=%s"
          .formatted(s.pgPort(), cert);
      String[] r = PsqlTestSupport.run("lumadb", "\\conninfo\nSELECT 1 AS one;\n", "-d", conn);
      assertEquals("0", r[0], r[1]);
      assertTrue(r[1].contains("SSL connection (protocol: TLSv1."), r[1]);
      assertTrue(r[1].contains("(1 row)"), r[1]);
      // TLS optional: a plaintext psql gets in too
      r = PsqlTestSupport.run("lumadb", "\\conninfo\n", "-d", conn.replace("sslmode=verify-full", "sslmode=disable"));
      assertEquals("0", r[0], r[1]);
      assertTrue(!r[1].contains("SSL connection"), r[1]);
    }
  }

  @Test
  void withoutACertificateSslRequestIsAnsweredNo() throws Exception {
    try (LumaServer s = start("")) {
      assertThrows(SQLException.class, () -> connect(s.pgPort(), "require"));
      try (Connection c = connect(s.pgPort(), "prefer")) {
        assertTrue(c.isValid(5));
      }
    }
  }

  @Test
  void badTlsSettingsAreRejectedAtStart() throws Exception {
    ConfigException e = assertThrows(ConfigException.class, () -> start("tls_cert_file = \"%s\"".formatted(cert)));
    assertTrue(e.getMessage().contains("go together"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> start("tls_required = true"));
    assertTrue(e.getMessage().contains("tls_required"), e.getMessage());
    Path notAKey = Files.writeString(dir.resolve("bad.key"), "not a key");
    Exception ex = assertThrows(Exception.class,
        () -> start("tls_cert_file = \"%s\"\ntls_key_file = \"%s\"".formatted(cert, notAKey)));
    assertTrue(String.valueOf(ex.getMessage()).contains("TLS certificate"), String.valueOf(ex.getMessage()));
  }

  @Test
  void rateLimitGivesE002AndTheSessionStaysUsable() throws Exception {
    try (LumaServer s = start("rate_limit_per_user = 2\nrate_limit_burst = 3\n")) {
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + s.pgPort() + "/default",
          "lumadb", "lumadb"); Statement st = c.createStatement()) {
        SQLException limited = null;
        int ran = 0;
        for (int i = 0; i < 10 && limited == null; i++) {
          try {
            st.execute("SELECT 1");
            ran++;
          } catch (SQLException e) {
            limited = e;
          }
        }
        assertTrue(limited != null, "10 statements at once passed a limit of 2/s with burst 3");
        assertTrue(ran >= 2 && ran <= 4, "ran " + ran);
        assertEquals("53400", limited.getSQLState());
        assertTrue(limited.getMessage().contains("E002") && limited.getMessage().contains("retry in"),
            limited.getMessage());
        Thread.sleep(1_100);
        try (ResultSet rs = st.executeQuery("SELECT 7")) {
          assertTrue(rs.next());
          assertEquals(7, rs.getInt(1));
        }
      }
    }
  }
}

package io.lumadb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.pgwire.PgConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each authentication method with pgjdbc: the right password gets in, a wrong one gets E001. */
class AuthMethodsTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"scram-sha-256", "scram-verifier", "md5", "password"})
  void rightPasswordInWrongPasswordE001(String method) throws Exception {
    String password = method.equals("scram-verifier") ? PgConfig.scramVerifier("s3cret") : "s3cret";
    String auth = method.equals("scram-verifier") ? "scram-sha-256" : method;
    try (LumaServer s = new LumaServer(TestServers.config(dir, """
        user = "app"
        password = "%s"
        auth_method = "%s"
        """.formatted(password, auth), ""))) {
      s.start();
      String url = "jdbc:postgresql://127.0.0.1:" + s.pgPort() + "/default";
      try (Connection c = DriverManager.getConnection(url, "app", "s3cret");
          ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
        assertTrue(rs.next());
      }
      SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "app", "wrong"));
      assertEquals("28P01", e.getSQLState());
      assertTrue(e.getMessage().contains("E001"), e.getMessage());
      e = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "nobody", "s3cret"));
      assertEquals("28P01", e.getSQLState());
    }
  }
}

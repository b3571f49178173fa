package io.lumadb.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.sql.SqlEngine;
import io.lumadb.storage.StorageConfig;
import io.lumadb.storage.StorageEngine;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad clients get an error and lose their connection; the server keeps serving others. */
class PgServerRobustnessTest {
  static StorageEngine storage;
  static PgServer server;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    storage = new StorageEngine(StorageConfig.DEFAULTS);
    SqlEngine engine = new SqlEngine(storage, new PrometheusRegistry());
    server = new PgServer(new PgConfig("127.0.0.1", 0, 5, Map.of("lumadb", "lumadb"), "password", 1 << 20),
        engine, new PrometheusRegistry());
    port = server.start();
  }

  @AfterAll
  static void stop() {
    server.close();
    storage.close();
  }

  static void assertServerAnswers() throws SQLException {
    try (Connection c = DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + port + "/default", "lumadb", "lumadb");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 40 + 2")) {
      assertTrue(rs.next());
      assertEquals(42, rs.getInt(1));
    }
  }

  /** A startup message for user lumadb, database default. */
  static byte[] startup() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(body);
    d.writeInt(196608);
    for (String s : List.of("user", "lumadb", "database", "default", "")) {
      d.write(s.getBytes(StandardCharsets.UTF_8));
      d.write(0);
    }
    return frame(null, body.toByteArray());
  }

  static byte[] frame(Character type, byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(out);
    if (type != null) {
      d.write(type);
    }
    d.writeInt(body.length + 4);
    d.write(body);
    return out.toByteArray();
  }

  static byte[] cstr(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[b.length + 1];
    System.arraycopy(b, 0, out, 0, b.length);
    return out;
  }

  /** Logs in with a raw socket (cleartext auth) and returns the socket after ReadyForQuery. */
  static Socket login() throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(10_000);
    s.getOutputStream().write(startup());
    readUntil(s, 'R');
    s.getOutputStream().write(frame('p', cstr("lumadb")));
    readUntil(s, 'Z');
    return s;
  }

  /** Reads messages until one of the given type; returns its body. Throws on EOF. */
  static byte[] readUntil(Socket s, char type) throws IOException {
    DataInputStream in = new DataInputStream(s.getInputStream());
    while (true) {
      char t = (char) in.readUnsignedByte();
      int len = in.readInt();
      byte[] body = new byte[len - 4];
      in.readFully(body);
      if (t == type) {
        return body;
      }
    }
  }

  /** Reads until the server closes; returns the ErrorResponse text seen, if any. */
  static String readToClose(Socket s) throws IOException {
    DataInputStream in = new DataInputStream(s.getInputStream());
    StringBuilder errors = new StringBuilder();
    try {
      while (true) {
        char t = (char) in.readUnsignedByte();
        int len = in.readInt();
        byte[] body = new byte[Math.max(0, len - 4)];
        in.readFully(body);
        if (t == 'E') {
          errors.append(new String(body, StandardCharsets.UTF_8).replace('\0', '|'));
        }
      }
    } catch (EOFException | java.net.SocketException e) {
      return errors.toString();
    }
  }

  @Test
  void oversizedMessageClosesTheConnectionWith54000() throws Exception {
    try (Socket s = login()) {
      DataOutputStream d = new DataOutputStream(s.getOutputStream());
      d.write('Q');
      d.writeInt(10 << 20);
      d.flush();
      String err = readToClose(s);
      assertTrue(err.contains("C54000"), err);
    }
    assertServerAnswers();
  }

  @Test
  void badLengthsAndUnknownMessages() throws Exception {
    try (Socket s = login()) {
      DataOutputStream d = new DataOutputStream(s.getOutputStream());
      d.write('Q');
      d.writeInt(2);
      d.flush();
      assertTrue(readToClose(s).contains("C08P01"));
    }
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      new DataOutputStream(s.getOutputStream()).writeInt(-5);
      assertTrue(readToClose(s).contains("C08P01"));
    }
    try (Socket s = login()) {
      // Bind with a parameter length running past the message.
      s.getOutputStream().write(frame('B', new byte[] {0, 0, 0, 0, 0, 1, 0x7f, 0, 0, 0}));
      assertTrue(readToClose(s).contains("C08P01"));
    }
    try (Socket s = login()) {
      // FunctionCall is not supported: an error, then the connection goes on.
      s.getOutputStream().write(frame('F', new byte[] {0, 0, 0, 1}));
      s.getOutputStream().write(frame('S', new byte[0]));
      byte[] e = readUntil(s, 'E');
      assertTrue(new String(e, StandardCharsets.UTF_8).contains("0A000"));
      readUntil(s, 'Z');
      s.getOutputStream().write(frame('Q', cstr("SELECT 1")));
      readUntil(s, 'C');
    }
    assertServerAnswers();
  }

  @Test
  void maxConnectionsRefusesWith53300() throws Exception {
    List<Socket> open = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        open.add(login());
      }
      try (Socket extra = new Socket("127.0.0.1", port)) {
        extra.setSoTimeout(10_000);
        extra.getOutputStream().write(startup());
        assertTrue(readToClose(extra).contains("C53300"));
      }
    } finally {
      for (Socket s : open) {
        s.close();
      }
    }
    Thread.sleep(200);
    assertServerAnswers();
  }

  @Test
  void randomAndMutatedMessagesNeverWedgeTheServer() throws Exception {
    Random rnd = new Random(42);
    byte[][] valid = {
        frame('Q', cstr("SELECT 1")),
        frame('P', concat(cstr("s1"), cstr("SELECT $1"), new byte[] {0, 1, 0, 0, 0, 23})),
        frame('B', concat(cstr(""), cstr("s1"), new byte[] {0, 0, 0, 1, 0, 0, 0, 1, '7', 0, 0})),
        frame('D', concat(new byte[] {'P'}, cstr(""))),
        frame('E', concat(cstr(""), new byte[] {0, 0, 0, 0})),
        frame('S', new byte[0]),
        frame('C', concat(new byte[] {'S'}, cstr("s1"))),
    };
    for (int round = 0; round < 60; round++) {
      try (Socket s = login()) {
        s.setSoTimeout(300);
        ByteArrayOutputStream junk = new ByteArrayOutputStream();
        for (int i = 0; i < 8; i++) {
          byte[] m = valid[rnd.nextInt(valid.length)].clone();
          int mutations = rnd.nextInt(3);
          for (int k = 0; k < mutations; k++) {
            m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
          }
          junk.write(m);
        }
        if (rnd.nextBoolean()) {
          byte[] noise = new byte[rnd.nextInt(64)];
          rnd.nextBytes(noise);
          junk.write(noise);
        }
        try {
          s.getOutputStream().write(junk.toByteArray());
          s.getInputStream().read(new byte[4096]);
        } catch (SocketTimeoutException | java.net.SocketException e) {
          // The server may wait for more bytes or close: both are fine.
        }
      }
    }
    assertServerAnswers();
  }

  @Test
  void wrongPasswordIsE001() {
    SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/default", "lumadb", "nope"));
    assertEquals("28P01", e.getSQLState());
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}

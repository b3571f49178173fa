package io.lumadb.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.storage.StorageException;
import org.junit.jupiter.api.Test;

class ErrorsTest {
  @Test
  void unexpectedFailuresAreE005() {
    LumaException e = Errors.translate(new IllegalStateException("boom"));
    assertEquals("XX000", e.sqlState());
    assertEquals(ErrorCode.E005, e.code().orElseThrow());
    assertEquals("E005: boom", e.getMessage());
    assertEquals(500, e.httpStatus());
  }

  @Test
  void storageKindsMapToCodes() {
    assertEquals("42P01", Errors.translate(
        new StorageException(StorageException.Kind.NOT_FOUND, "x")).sqlState());
    assertEquals(ErrorCode.E002, Errors.translate(
        new StorageException(StorageException.Kind.OVERLOADED, "x")).code().orElseThrow());
    assertEquals("42P07", Errors.translate(
        new StorageException(StorageException.Kind.ALREADY_EXISTS, "x")).sqlState());
  }

  @Test
  void wrappedCausesAreFound() {
    LumaException inner = new LumaException(ErrorCode.E004, "relation \"t\" does not exist");
    assertTrue(Errors.translate(new RuntimeException(new RuntimeException(inner))) == inner);
    assertEquals("22012", Errors.translate(new RuntimeException(new ArithmeticException("/ by zero"))).sqlState());
  }

  @Test
  void lexerSplitsScriptsSafely() {
    assertEquals(java.util.List.of("SELECT ';'", "SELECT $$a;b$$", "SELECT \"x;y\""),
        SqlLexer.split("SELECT ';'; -- c;\nSELECT $$a;b$$;;SELECT \"x;y\";  /* ; */"));
    assertEquals("SELECT 'it''s', 5, NULL",
        Parameters.substitute("SELECT $1, $2, $3", java.util.Arrays.asList("it's", 5, null)));
    assertEquals("SELECT '$1'", Parameters.substitute("SELECT '$1'", java.util.List.of()));
  }
}

package io.lumadb.pgwire;

import java.util.List;
import java.util.Map;

/** Messages a PostgreSQL client sends (protocol 3.0). */
public sealed interface FrontendMessage {
  record Startup(int protocol, Map<String, String> parameters) implements FrontendMessage {}

  record SslRequest() implements FrontendMessage {}

  record GssEncRequest() implements FrontendMessage {}

  record CancelRequest(int processId, int secretKey) implements FrontendMessage {}

  /** 'p': a password, or a SASL initial/continuing response; its meaning depends on the state. */
  record PasswordData(byte[] data) implements FrontendMessage {}

  record Query(String sql) implements FrontendMessage {}

  record Parse(String statement, String sql, int[] paramTypeOids) implements FrontendMessage {}

  /** Parameter values are raw bytes in the given formats (0 text, 1 binary); null is NULL. */
  record Bind(String portal, String statement, short[] paramFormats, List<byte[]> values,
      short[] resultFormats) implements FrontendMessage {}

  record Describe(char kind, String name) implements FrontendMessage {}

  record Execute(String portal, int maxRows) implements FrontendMessage {}

  record Sync() implements FrontendMessage {}

  record Flush() implements FrontendMessage {}

  record Close(char kind, String name) implements FrontendMessage {}

  record Terminate() implements FrontendMessage {}

  record CopyData(byte[] data) implements FrontendMessage {}

  record CopyDone() implements FrontendMessage {}

  record CopyFail(String message) implements FrontendMessage {}

  /** A message type this server does not implement (e.g. FunctionCall). */
  record Unsupported(char type) implements FrontendMessage {}
}

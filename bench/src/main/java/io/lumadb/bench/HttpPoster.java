package io.lumadb.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection that POSTs pre-encoded bodies and reads the answers: a
 * deliberately small blocking client, so that the load driver spends as little of the shared
 * CPU as possible on its side of the wire. It understands what the LumaDB receivers answer
 * (Content-Length, chunked, or no body for 204) and reconnects when the server closes.
 */
final class HttpPoster implements AutoCloseable {
  /** An answer: the status, the body and the Retry-After header in seconds (-1 when absent). */
  record Response(int status, byte[] body, int retryAfterSeconds) {
    String bodyText() {
      return new String(body, StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}&&[^\n\t]]", "").strip();
    }
  }

  private final String host;
  private final int port;
  private final String path;
  private final String extraHeaders;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private boolean mustClose;

  /**
   * @param extraHeaders header lines, each ending in CRLF (Content-Type, Content-Encoding, ...)
   */
  HttpPoster(String host, int port, String path, String extraHeaders) {
    this.host = host;
    this.port = port;
    this.path = path;
    this.extraHeaders = extraHeaders;
  }

  /** POSTs the body; a connection that fails before an answer is reopened and the body sent once more. */
  Response post(byte[] body) throws IOException {
    IOException first = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      if (socket == null || mustClose) {
        reconnect();
      }
      try {
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n"
            + "User-Agent: lumadb-ingest-bench\r\n" + extraHeaders
            + "Content-Length: " + body.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return readResponse();
      } catch (IOException e) {
        closeQuietly();
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    throw first;
  }

  private void reconnect() throws IOException {
    closeQuietly();
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.setSendBufferSize(1 << 20);
    s.setReceiveBufferSize(1 << 16);
    s.connect(new InetSocketAddress(host, port), 10_000);
    s.setSoTimeout(120_000);
    socket = s;
    in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
    out = new BufferedOutputStream(s.getOutputStream(), 256 * 1024);
    mustClose = false;
  }

  private Response readResponse() throws IOException {
    String statusLine = readLine();
    // HTTP/1.1 204 No Content
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("not an HTTP status line: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    long length = -1;
    boolean chunked = false;
    int retryAfter = -1;
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> mustClose |= value.equalsIgnoreCase("close");
        case "retry-after" -> {
          try {
            retryAfter = Integer.parseInt(value);
          } catch (NumberFormatException e) {
            retryAfter = 1;
          }
        }
        default -> { }
      }
    }
    byte[] body;
    if (status == 204 || status == 304 || (status >= 100 && status < 200)) {
      body = new byte[0];
    } else if (chunked) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = readLine();
        int semi = sizeLine.indexOf(';');
        int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
        if (size == 0) {
          while (!readLine().isEmpty()) {
            // trailers
          }
          break;
        }
        b.write(in.readNBytes(size));
        readLine();
      }
      body = b.toByteArray();
    } else if (length >= 0) {
      body = in.readNBytes((int) length);
      if (body.length < length) {
        throw new EOFException("connection closed in the middle of a body");
      }
    } else {
      body = in.readAllBytes();
      mustClose = true;
    }
    return new Response(status, body, retryAfter);
  }

  private String readLine() throws IOException {
    StringBuilder b = new StringBuilder(64);
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed by the server");
      }
      if (c == '\n') {
        int n = b.length();
        if (n > 0 && b.charAt(n - 1) == '\r') {
          b.setLength(n - 1);
        }
        return b.toString();
      }
      b.append((char) c);
    }
  }

  private void closeQuietly() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    socket = null;
  }

  @Override
  public void close() {
    closeQuietly();
  }
}

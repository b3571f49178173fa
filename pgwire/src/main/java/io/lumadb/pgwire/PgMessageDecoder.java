package io.lumadb.pgwire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Frames and decodes client messages. Before startup completes, messages have no type byte
 * (startup, SSLRequest, GSSENCRequest, CancelRequest); after it, every message does. A message
 * longer than the limit, or malformed inside, raises {@link PgProtocolException}.
 */
final class PgMessageDecoder extends ByteToMessageDecoder {
  static final int PROTOCOL_3 = 196608;
  static final int SSL_REQUEST = 80877103;
  static final int GSSENC_REQUEST = 80877104;
  static final int CANCEL_REQUEST = 80877102;
  private static final int MAX_STARTUP_BYTES = 10_000;

  private final int maxMessageBytes;
  private boolean started;
  private boolean failed;

  PgMessageDecoder(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    try {
      if (!started) {
        decodeStartup(in, out);
      } else {
        decodeTyped(in, out);
      }
    } catch (PgProtocolException e) {
      failed = true;
      in.skipBytes(in.readableBytes());
      throw e;
    } catch (IndexOutOfBoundsException e) {
      failed = true;
      in.skipBytes(in.readableBytes());
      throw new PgProtocolException("08P01", "invalid message format");
    }
  }

  private void decodeStartup(ByteBuf in, List<Object> out) {
    if (in.readableBytes() < 4) {
      return;
    }
    int len = in.getInt(in.readerIndex());
    if (len < 8 || len > MAX_STARTUP_BYTES) {
      throw new PgProtocolException("08P01", "invalid length of startup packet");
    }
    if (in.readableBytes() < len) {
      return;
    }
    ByteBuf msg = in.readSlice(len);
    msg.skipBytes(4);
    int code = msg.readInt();
    switch (code) {
      case SSL_REQUEST -> out.add(new FrontendMessage.SslRequest());
      case GSSENC_REQUEST -> out.add(new FrontendMessage.GssEncRequest());
      case CANCEL_REQUEST -> out.add(new FrontendMessage.CancelRequest(msg.readInt(), msg.readInt()));
      default -> {
        Map<String, String> params = new LinkedHashMap<>();
        while (msg.isReadable()) {
          String key = readCString(msg);
          if (key.isEmpty()) {
            break;
          }
          params.put(key, readCString(msg));
        }
        started = true;
        out.add(new FrontendMessage.Startup(code, params));
      }
    }
  }

  private void decodeTyped(ByteBuf in, List<Object> out) {
    while (in.readableBytes() >= 5) {
      int start = in.readerIndex();
      char type = (char) in.getByte(start);
      int len = in.getInt(start + 1);
      if (len < 4) {
        throw new PgProtocolException("08P01", "invalid message length " + len);
      }
      if (len > maxMessageBytes) {
        throw new PgProtocolException(
            "54000", "message of " + len + " bytes exceeds the limit of " + maxMessageBytes);
      }
      if (in.readableBytes() < len + 1) {
        return;
      }
      in.skipBytes(5);
      ByteBuf msg = in.readSlice(len - 4);
      out.add(decodeBody(type, msg));
    }
  }

  private static FrontendMessage decodeBody(char type, ByteBuf m) {
    FrontendMessage result = switch (type) {
      case 'Q' -> new FrontendMessage.Query(readCString(m));
      case 'P' -> {
        String name = readCString(m);
        String sql = readCString(m);
        int n = m.readUnsignedShort();
        int[] oids = new int[n];
        for (int i = 0; i < n; i++) {
          oids[i] = m.readInt();
        }
        yield new FrontendMessage.Parse(name, sql, oids);
      }
      case 'B' -> {
        String portal = readCString(m);
        String stmt = readCString(m);
        short[] formats = new short[m.readUnsignedShort()];
        for (int i = 0; i < formats.length; i++) {
          formats[i] = m.readShort();
        }
        int n = m.readUnsignedShort();
        List<byte[]> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          int len = m.readInt();
          if (len < -1 || len > m.readableBytes()) {
            throw new PgProtocolException("08P01", "invalid parameter length " + len);
          }
          if (len == -1) {
            values.add(null);
          } else {
            byte[] v = new byte[len];
            m.readBytes(v);
            values.add(v);
          }
        }
        short[] resultFormats = new short[m.readUnsignedShort()];
        for (int i = 0; i < resultFormats.length; i++) {
          resultFormats[i] = m.readShort();
        }
        yield new FrontendMessage.Bind(portal, stmt, formats, values, resultFormats);
      }
      case 'D' -> new FrontendMessage.Describe((char) m.readByte(), readCString(m));
      case 'E' -> new FrontendMessage.Execute(readCString(m), m.readInt());
      case 'S' -> new FrontendMessage.Sync();
      case 'H' -> new FrontendMessage.Flush();
      case 'C' -> new FrontendMessage.Close((char) m.readByte(), readCString(m));
      case 'X' -> new FrontendMessage.Terminate();
      case 'p' -> {
        byte[] data = new byte[m.readableBytes()];
        m.readBytes(data);
        yield new FrontendMessage.PasswordData(data);
      }
      case 'd' -> {
        byte[] data = new byte[m.readableBytes()];
        m.readBytes(data);
        yield new FrontendMessage.CopyData(data);
      }
      case 'c' -> new FrontendMessage.CopyDone();
      case 'f' -> new FrontendMessage.CopyFail(readCString(m));
      default -> {
        m.skipBytes(m.readableBytes());
        yield new FrontendMessage.Unsupported(type);
      }
    };
    if (m.isReadable() && type != 'd') {
      throw new PgProtocolException("08P01", "invalid message format: extra bytes in '" + type + "'");
    }
    return result;
  }

  static String readCString(ByteBuf m) {
    int end = m.indexOf(m.readerIndex(), m.writerIndex(), (byte) 0);
    if (end < 0) {
      throw new PgProtocolException("08P01", "invalid string in message");
    }
    String s = m.toString(m.readerIndex(), end - m.readerIndex(), StandardCharsets.UTF_8);
    m.readerIndex(end + 1);
    return s;
  }
}

package io.lumadb.pgwire;

import io.lumadb.sql.ResultColumn;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes server messages (protocol 3.0) into a buffer: type byte, length, body. */
final class BackendMessages {
  private BackendMessages() {}

  /** Starts a message; returns the index of its length field for {@link #end}. */
  static int begin(ByteBuf out, char type) {
    out.writeByte(type);
    int at = out.writerIndex();
    out.writeInt(0);
    return at;
  }

  static void end(ByteBuf out, int lengthAt) {
    out.setInt(lengthAt, out.writerIndex() - lengthAt);
  }

  static void cstring(ByteBuf out, String s) {
    out.writeCharSequence(s, StandardCharsets.UTF_8);
    out.writeByte(0);
  }

  static void authRequest(ByteBuf out, int code, byte[] extra) {
    int at = begin(out, 'R');
    out.writeInt(code);
    if (extra != null) {
      out.writeBytes(extra);
    }
    end(out, at);
  }

  static void parameterStatus(ByteBuf out, String name, String value) {
    int at = begin(out, 'S');
    cstring(out, name);
    cstring(out, value);
    end(out, at);
  }

  static void backendKeyData(ByteBuf out, int pid, int secret) {
    int at = begin(out, 'K');
    out.writeInt(pid);
    out.writeInt(secret);
    end(out, at);
  }

  static void readyForQuery(ByteBuf out, char status) {
    int at = begin(out, 'Z');
    out.writeByte(status);
    end(out, at);
  }

  static void empty(ByteBuf out, char type) {
    int at = begin(out, type);
    end(out, at);
  }

  static void commandComplete(ByteBuf out, String tag) {
    int at = begin(out, 'C');
    cstring(out, tag);
    end(out, at);
  }

  /** ErrorResponse ('E') or NoticeResponse ('N'). */
  static void error(ByteBuf out, char type, String severity, String sqlState, String message) {
    error(out, type, severity, sqlState, message, null, null);
  }

  /** With PostgreSQL's optional DETAIL and HINT fields (null: not sent). */
  static void error(ByteBuf out, char type, String severity, String sqlState, String message,
      String detail, String hint) {
    int at = begin(out, type);
    out.writeByte('S');
    cstring(out, severity);
    out.writeByte('V');
    cstring(out, severity);
    out.writeByte('C');
    cstring(out, sqlState);
    out.writeByte('M');
    cstring(out, message);
    if (detail != null) {
      out.writeByte('D');
      cstring(out, detail);
    }
    if (hint != null) {
      out.writeByte('H');
      cstring(out, hint);
    }
    out.writeByte(0);
    end(out, at);
  }

  static void rowDescription(ByteBuf out, List<ResultColumn> columns, short[] formats) {
    int at = begin(out, 'T');
    out.writeShort(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      ResultColumn c = columns.get(i);
      PgType t = PgType.forColumn(c);
      cstring(out, c.name());
      out.writeInt(0);
      out.writeShort(0);
      out.writeInt(t.oid);
      out.writeShort(t.size);
      out.writeInt(-1);
      out.writeShort(format(formats, i));
    }
    end(out, at);
  }

  static void parameterDescription(ByteBuf out, int[] oids) {
    int at = begin(out, 't');
    out.writeShort(oids.length);
    for (int oid : oids) {
      out.writeInt(oid);
    }
    end(out, at);
  }

  /** The format code of column i: none given means text, one given applies to all. */
  static short format(short[] formats, int i) {
    if (formats == null || formats.length == 0) {
      return 0;
    }
    return formats.length == 1 ? formats[0] : formats[i];
  }
}

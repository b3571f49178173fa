package io.lumadb.sql.pgcatalog;

import java.sql.*;
import java.util.*;
import org.junit.jupiter.api.Test;

class ScratchTest {
  static Connection open() throws Exception {
    Properties p = new Properties();
    p.setProperty("parserFactory", "org.apache.calcite.sql.parser.babel.SqlBabelParserImpl#FACTORY");
    p.setProperty("conformance", "BABEL");
    p.setProperty("caseSensitive", "true");
    p.setProperty("unquotedCasing", "TO_LOWER");
    p.setProperty("quotedCasing", "UNCHANGED");
    p.setProperty("quoting", "DOUBLE_QUOTE");
    p.setProperty("fun", "standard,postgresql");
    p.setProperty("timeZone", "UTC");
    p.setProperty("typeSystem", io.lumadb.sql.LumaTypeSystem.class.getName() + "#INSTANCE");
    return new org.apache.calcite.jdbc.Driver().connect("jdbc:calcite:", p);
  }

  @Test
  void scratch() throws Exception {
    String[] qs = System.getProperty("scratch.sql", "").split("\n----\n");
    try (Connection c = open()) {
      for (String q : qs) {
        if (q.isBlank()) continue;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(q)) {
          StringBuilder b = new StringBuilder();
          ResultSetMetaData md = rs.getMetaData();
          for (int i = 1; i <= md.getColumnCount(); i++) b.append(md.getColumnLabel(i)).append(':').append(md.getColumnTypeName(i)).append(' ');
          b.append(" => ");
          while (rs.next()) { b.append('['); for (int i = 1; i <= md.getColumnCount(); i++) b.append(rs.getObject(i)).append(','); b.append(']'); }
          System.out.println("OK   " + q.replace('\n',' ') + "\n     " + b);
        } catch (Throwable t) {
          Throwable r = t; while (r.getCause() != null) r = r.getCause();
          System.out.println("FAIL " + q.replace('\n',' ') + "\n     " + r);
        }
      }
    }
  }
}

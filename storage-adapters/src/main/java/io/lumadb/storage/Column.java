package io.lumadb.storage;

import java.util.Objects;

/**
 * One column of a table: its name (already case-folded), type and type modifier. The
 * modifier is PostgreSQL's atttypmod: -1 for none; for NUMERIC(p, s) {@code ((p << 16) | s) + 4}.
 */
public record Column(String name, ColumnType type, boolean nullable, int typmod) {
  /** The largest NUMERIC precision a column can declare (Arrow's Decimal128, Calcite's maximum). */
  public static final int MAX_NUMERIC_PRECISION = 38;

  public Column {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (typmod != -1 && type != ColumnType.NUMERIC) {
      throw new StorageException("a " + type + " column has no type modifier");
    }
  }

  public Column(String name, ColumnType type, boolean nullable) {
    this(name, type, nullable, -1);
  }

  public static Column of(String name, ColumnType type) {
    return new Column(name, type, true);
  }

  /** PostgreSQL's typmod of numeric(precision, scale). */
  public static int numericTypmod(int precision, int scale) {
    return ((precision << 16) | scale) + 4;
  }

  /** NUMERIC(p, s): the precision, or -1 when unconstrained. */
  public int precision() {
    return typmod < 4 ? -1 : ((typmod - 4) >>> 16) & 0xffff;
  }

  /** NUMERIC(p, s): the scale, or -1 when unconstrained. */
  public int scale() {
    return typmod < 4 ? -1 : (typmod - 4) & 0xffff;
  }

  /** The Arrow type of a sealed segment's vector (NUMERIC's depends on its precision). */
  public org.apache.arrow.vector.types.pojo.ArrowType arrowType() {
    if (type == ColumnType.NUMERIC && typmod >= 4) {
      return new org.apache.arrow.vector.types.pojo.ArrowType.Decimal(precision(), scale(), 128);
    }
    return type.arrowType();
  }
}

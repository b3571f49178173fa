package io.lumadb.bench;

import io.lumadb.storage.ColumnBatch;
import io.lumadb.storage.ColumnReader;
import java.util.List;

/**
 * The generated data, held once as LumaDB batches and fed unchanged to every system, with the
 * figures each system's copy is checked against (row count, sum of usage_user).
 */
public record Dataset(TsbsCpuGenerator.Config config, List<ColumnBatch> batches, long rows,
    double usageUserSum) {
  /** Column position of usage_user in {@link CpuTable#SCHEMA}. */
  public static final int USAGE_USER = 1 + TsbsCpuGenerator.TAGS.size();

  public static Dataset generate(TsbsCpuGenerator.Config config, int batchRows) {
    return of(config, CpuTable.generate(config, batchRows));
  }

  /** A data set of the given batches (for example the first few of another one). */
  public static Dataset of(TsbsCpuGenerator.Config config, List<ColumnBatch> batches) {
    long rows = 0;
    double sum = 0;
    for (ColumnBatch b : batches) {
      ColumnReader r = b.column(USAGE_USER).view();
      for (int i = 0; i < b.rowCount(); i++) {
        sum += r.getDouble(i);
      }
      rows += b.rowCount();
    }
    return new Dataset(config, List.copyOf(batches), rows, sum);
  }

  public long samples() {
    return rows * TsbsCpuGenerator.FIELDS.size();
  }

  /** The last timestamp of the data set (epoch milliseconds). */
  public long maxTimestamp() {
    long max = Long.MIN_VALUE;
    for (ColumnBatch b : batches) {
      ColumnReader r = b.column(0).view();
      for (int i = 0; i < b.rowCount(); i++) {
        max = Math.max(max, r.getLong(i));
      }
    }
    return max;
  }

  /** Distinct hostnames in the data set. */
  public long hosts() {
    java.util.Set<Object> hosts = new java.util.HashSet<>();
    for (ColumnBatch b : batches) {
      ColumnReader r = b.column(1).view();
      for (int i = 0; i < b.rowCount(); i++) {
        hosts.add(r.get(i));
      }
    }
    return hosts.size();
  }

  /**
   * Throws unless a system holds as many rows, the same sum(usage_user), as many distinct
   * hostnames and the same max(ts) as the data set.
   */
  public void check(String system, long rowsSeen, double sumSeen, long hostsSeen, long maxTsSeen) {
    check(system, rowsSeen, sumSeen);
    if (hostsSeen != hosts()) {
      throw new IllegalStateException(system + " holds " + hostsSeen + " distinct hostnames, expected " + hosts());
    }
    if (maxTsSeen != maxTimestamp()) {
      throw new IllegalStateException(system + ": max(ts) = " + maxTsSeen + ", expected " + maxTimestamp());
    }
  }

  /** Throws if a system holds a different number of rows or a different sum. */
  public void check(String system, long rowsSeen, double sumSeen) {
    if (rowsSeen != rows) {
      throw new IllegalStateException(system + " holds " + rowsSeen + " rows, expected " + rows);
    }
    if (Math.abs(sumSeen - usageUserSum) > 1e-6 * Math.max(1, Math.abs(usageUserSum))) {
      throw new IllegalStateException(system + ": sum(usage_user) = " + sumSeen + ", expected " + usageUserSum);
    }
  }
}

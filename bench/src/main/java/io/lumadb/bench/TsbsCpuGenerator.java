package io.lumadb.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * The TSBS {@code cpu-only} use case (timescale/tsbs, {@code pkg/data/usecases/devops}): one
 * row per host every 10 s, ten string tags fixed per host and ten fields that are clamped
 * random walks in [0, 100] with N(0, 1) steps.
 *
 * <p>Like TSBS: hosts are {@code host_0 .. host_(n-1)}; region, datacenter (of that region),
 * rack (0-99), os, arch, team, service (0-19), service_version (0-1) and service_environment
 * are drawn per host from TSBS's lists; each walk starts uniformly in [0, 100); rows come
 * time-major (all hosts for one timestamp, then the next timestamp), the first timestamp
 * showing the initial state; and, by default, values are emitted as TSBS emits them, truncated
 * to whole numbers ({@code int64(d.Get())} in TSBS's {@code ToPointAllInt64}).
 * {@link Values#FULL} keeps the walk's full double precision instead.
 *
 * <p>Unlike TSBS the random numbers come from {@link SplittableRandom}, so the same seed gives
 * the same data here (on any JVM) but not the same values as TSBS's Go generator.
 *
 * <p>Rows are produced into a reusable {@link Batch} of column arrays, so any scale can be
 * generated in constant memory.
 */
public final class TsbsCpuGenerator {
  /** Tag columns, in TSBS's order. */
  public static final List<String> TAGS = List.of("hostname", "region", "datacenter", "rack",
      "os", "arch", "team", "service", "service_version", "service_environment");
  /** Field columns, in TSBS's order. */
  public static final List<String> FIELDS = List.of("usage_user", "usage_system", "usage_idle",
      "usage_nice", "usage_iowait", "usage_irq", "usage_softirq", "usage_steal", "usage_guest",
      "usage_guest_nice");
  /** TSBS's default start ({@code --timestamp-start}). */
  public static final Instant DEFAULT_START = Instant.parse("2016-01-01T00:00:00Z");
  /** TSBS's default interval ({@code --log-interval}). */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  private static final String[][] REGIONS = {
      {"us-east-1", "us-east-1a", "us-east-1b", "us-east-1c", "us-east-1e"},
      {"us-west-1", "us-west-1a", "us-west-1b"},
      {"us-west-2", "us-west-2a", "us-west-2b", "us-west-2c"},
      {"eu-west-1", "eu-west-1a", "eu-west-1b", "eu-west-1c"},
      {"eu-central-1", "eu-central-1a", "eu-central-1b"},
      {"ap-southeast-1", "ap-southeast-1a", "ap-southeast-1b"},
      {"ap-southeast-2", "ap-southeast-2a", "ap-southeast-2b"},
      {"ap-northeast-1", "ap-northeast-1a", "ap-northeast-1c"},
      {"sa-east-1", "sa-east-1a", "sa-east-1b", "sa-east-1c"},
  };
  private static final String[] TEAMS = {"SF", "NYC", "LON", "CHI"};
  private static final String[] OSES = {"Ubuntu16.10", "Ubuntu16.04LTS", "Ubuntu15.10"};
  private static final String[] ARCHES = {"x64", "x86"};
  private static final String[] ENVIRONMENTS = {"production", "staging", "test"};
  private static final int RACKS = 100;
  private static final int SERVICES = 20;
  private static final int SERVICE_VERSIONS = 2;

  /** How field values are emitted. */
  public enum Values {
    /** Truncated to whole numbers, as TSBS's cpu measurement emits them. */
    TSBS,
    /** The walk's full double precision. */
    FULL
  }

  /**
   * What to generate.
   *
   * @param hosts number of hosts (TSBS {@code --scale})
   * @param start first timestamp
   * @param duration time covered; the number of timestamps is duration / interval (as TSBS)
   * @param interval time between two rows of one host
   * @param seed seed of the random numbers
   * @param values how field values are emitted
   */
  public record Config(int hosts, Instant start, Duration duration, Duration interval, long seed,
      Values values) {
    public Config {
      if (hosts < 1) {
        throw new IllegalArgumentException("hosts must be at least 1");
      }
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("interval must be positive");
      }
      if (duration.isNegative()) {
        throw new IllegalArgumentException("duration must not be negative");
      }
    }

    /** TSBS defaults: 2016-01-01T00:00:00Z, 10 s interval, whole-number values. */
    public static Config of(int hosts, Duration duration, long seed) {
      return new Config(hosts, DEFAULT_START, duration, DEFAULT_INTERVAL, seed, Values.TSBS);
    }

    public long timestamps() {
      return duration.toNanos() / interval.toNanos();
    }

    public long rows() {
      return timestamps() * hosts;
    }

    /** A sample is one field value: ten per row. */
    public long samples() {
      return rows() * FIELDS.size();
    }
  }

  /** One host's tag values, in {@link #TAGS} order. */
  public record Host(List<String> tags) {
    public String hostname() {
      return tags.get(0);
    }
  }

  /**
   * Rows as column arrays: {@code timestamps[i]}, {@code tags[t][i]}, {@code fields[f][i]} for
   * i below {@link #size()}. Filled again by every {@link #fill} call.
   */
  public static final class Batch {
    /** Epoch milliseconds, UTC. */
    public final long[] timestamps;
    /** Per tag column; the strings are shared by all rows of a host. */
    public final String[][] tags;
    public final double[][] fields;
    private int size;

    public Batch(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("capacity must be at least 1");
      }
      timestamps = new long[capacity];
      tags = new String[TAGS.size()][capacity];
      fields = new double[FIELDS.size()][capacity];
    }

    public int size() {
      return size;
    }

    public int capacity() {
      return timestamps.length;
    }
  }

  private final Config config;
  private final List<Host> hosts;
  private final String[][] hostTags;
  /** Walk state per host and field. */
  private final double[][] state;
  private final SplittableRandom random;
  private final long startMillis;
  private final long intervalMillis;
  private final long timestamps;
  private long timestamp;
  private int host;
  private double spareGaussian;
  private boolean hasSpare;

  public TsbsCpuGenerator(Config config) {
    this.config = config;
    this.random = new SplittableRandom(config.seed());
    this.startMillis = config.start().toEpochMilli();
    this.intervalMillis = config.interval().toMillis();
    this.timestamps = config.timestamps();
    int n = config.hosts();
    List<Host> hs = new ArrayList<>(n);
    hostTags = new String[n][];
    state = new double[n][FIELDS.size()];
    for (int h = 0; h < n; h++) {
      // TSBS order: the measurement's distributions first, then the tags.
      for (int f = 0; f < FIELDS.size(); f++) {
        state[h][f] = random.nextDouble() * 100.0;
      }
      String[] region = REGIONS[random.nextInt(REGIONS.length)];
      String[] tags = new String[TAGS.size()];
      tags[0] = "host_" + h;
      tags[1] = region[0];
      tags[2] = region[1 + random.nextInt(region.length - 1)];
      tags[3] = Integer.toString(random.nextInt(RACKS));
      tags[5] = ARCHES[random.nextInt(ARCHES.length)];
      tags[4] = OSES[random.nextInt(OSES.length)];
      tags[7] = Integer.toString(random.nextInt(SERVICES));
      tags[8] = Integer.toString(random.nextInt(SERVICE_VERSIONS));
      tags[9] = ENVIRONMENTS[random.nextInt(ENVIRONMENTS.length)];
      tags[6] = TEAMS[random.nextInt(TEAMS.length)];
      for (int t = 0; t < tags.length; t++) {
        tags[t] = tags[t].intern();
      }
      hostTags[h] = tags;
      hs.add(new Host(List.of(tags)));
    }
    this.hosts = List.copyOf(hs);
  }

  public Config config() {
    return config;
  }

  public List<Host> hosts() {
    return hosts;
  }

  /** Rows generated so far. */
  public long position() {
    return timestamp * hostTags.length + host;
  }

  public boolean hasNext() {
    return timestamp < timestamps;
  }

  /**
   * Fills {@code batch} with the next rows (up to its capacity) and returns how many; 0 once
   * every row has been generated.
   */
  public int fill(Batch batch) {
    int cap = batch.capacity();
    int n = 0;
    double[][] fields = batch.fields;
    String[][] tags = batch.tags;
    boolean whole = config.values() == Values.TSBS;
    while (n < cap && timestamp < timestamps) {
      if (host == hostTags.length) {
        host = 0;
        timestamp++;
        if (timestamp == timestamps) {
          break;
        }
        advanceAll();
      }
      long ts = startMillis + timestamp * intervalMillis;
      int end = Math.min(hostTags.length, host + (cap - n));
      for (; host < end; host++, n++) {
        batch.timestamps[n] = ts;
        String[] ht = hostTags[host];
        for (int t = 0; t < ht.length; t++) {
          tags[t][n] = ht[t];
        }
        double[] s = state[host];
        for (int f = 0; f < s.length; f++) {
          // TSBS: int64(value), i.e. truncation toward zero (the walk never goes below 0).
          fields[f][n] = whole ? (double) (long) s[f] : s[f];
        }
      }
    }
    if (host == hostTags.length && timestamp + 1 >= timestamps) {
      timestamp = timestamps;
      host = 0;
    }
    batch.size = n;
    return n;
  }

  /** An iterator over batches of {@code capacity} rows; every batch it returns is the same object, refilled. */
  public Iterator<Batch> batches(int capacity) {
    Batch b = new Batch(capacity);
    return new Iterator<>() {
      private boolean ready;

      @Override
      public boolean hasNext() {
        if (!ready) {
          ready = fill(b) > 0;
        }
        return ready;
      }

      @Override
      public Batch next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ready = false;
        return b;
      }
    };
  }

  /** One tick of TSBS's clamped random walk for every host and field. */
  private void advanceAll() {
    for (double[] s : state) {
      for (int f = 0; f < s.length; f++) {
        double v = s[f] + nextGaussian();
        s[f] = v > 100.0 ? 100.0 : (v < 0.0 ? 0.0 : v);
      }
    }
  }

  /** Marsaglia's polar method: fixed here so that a seed means the same data on every JDK. */
  private double nextGaussian() {
    if (hasSpare) {
      hasSpare = false;
      return spareGaussian;
    }
    double u;
    double v;
    double s;
    do {
      u = random.nextDouble() * 2 - 1;
      v = random.nextDouble() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    double m = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
    spareGaussian = v * m;
    hasSpare = true;
    return u * m;
  }
}

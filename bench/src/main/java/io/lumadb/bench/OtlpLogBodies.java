package io.lumadb.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * OTLP/HTTP log export bodies ({@code ExportLogsServiceRequest}, protobuf, uncompressed as the
 * OpenTelemetry SDK exporters send them by default): each request has one resource
 * ({@code service.name}, {@code service.version}, {@code host.name}; the service rotates over
 * {@code services} names from one request to the next) with one scope and
 * {@code recordsPerRequest} records. A record has a time (1 ms after the previous one), a
 * severity (mostly INFO, some DEBUG, WARN, ERROR), a one-line body from a few application-log
 * templates filled with random ids, numbers and words (so the full-text index sees a growing
 * vocabulary), three or four attributes and, for half of them, a trace and span id. Seeded:
 * the same seed gives the same bodies.
 */
final class OtlpLogBodies {
  private static final String[] METHODS = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};
  private static final String[] PATHS = {"/api/v1/users", "/api/v1/orders", "/api/v1/cart", "/api/v2/search",
      "/api/v1/payments", "/health", "/api/v1/inventory", "/api/v1/sessions"};
  private static final String[] USERS = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
      "ivan", "judy", "mallory", "oscar", "peggy", "trent", "victor", "walter"};
  private static final String[] WORDS = {"timeout", "refused", "reset", "checksum", "mismatch", "stale",
      "lock", "contention", "quota", "exceeded", "throttled", "degraded", "replica", "leader", "election",
      "snapshot", "compaction", "eviction", "backpressure", "overflow"};
  private static final int[] STATUSES = {200, 200, 200, 200, 200, 201, 204, 301, 400, 401, 403, 404, 500, 503};

  private final SplittableRandom random;
  private final int recordsPerRequest;
  private final int services;
  private long timeNanos;
  private long requests;

  OtlpLogBodies(long seed, int recordsPerRequest, int services) {
    this.random = new SplittableRandom(seed);
    this.recordsPerRequest = recordsPerRequest;
    this.services = services;
    this.timeNanos = TsbsCpuGenerator.DEFAULT_START.getEpochSecond() * 1_000_000_000L;
  }

  int recordsPerRequest() {
    return recordsPerRequest;
  }

  /** The next request body. */
  byte[] next() {
    int service = (int) (requests++ % services);
    Resource resource = Resource.newBuilder()
        .addAttributes(kv("service.name", "service-" + service))
        .addAttributes(kv("service.version", "1." + (service % 3) + ".0"))
        .addAttributes(kv("host.name", "host_" + (service * 7 % 100)))
        .build();
    ScopeLogs.Builder scope = ScopeLogs.newBuilder()
        .setScope(InstrumentationScope.newBuilder().setName("io.lumadb.bench.app").setVersion("1.0.0"));
    for (int i = 0; i < recordsPerRequest; i++) {
      scope.addLogRecords(record());
    }
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource).addScopeLogs(scope))
        .build().toByteArray();
  }

  private LogRecord record() {
    timeNanos += 1_000_000L;
    int kind = random.nextInt(100);
    SeverityNumber severity = kind < 70 ? SeverityNumber.SEVERITY_NUMBER_INFO
        : kind < 85 ? SeverityNumber.SEVERITY_NUMBER_DEBUG
            : kind < 95 ? SeverityNumber.SEVERITY_NUMBER_WARN : SeverityNumber.SEVERITY_NUMBER_ERROR;
    String method = METHODS[random.nextInt(METHODS.length)];
    int status = STATUSES[random.nextInt(STATUSES.length)];
    String body = switch (random.nextInt(8)) {
      case 0, 1, 2 -> String.format(Locale.ROOT, "%s %s/%d HTTP/1.1 %d %d ms", method,
          PATHS[random.nextInt(PATHS.length)], random.nextInt(100_000), status, 1 + random.nextInt(900));
      case 3 -> String.format(Locale.ROOT, "user %s logged in from 10.%d.%d.%d", USERS[random.nextInt(USERS.length)],
          random.nextInt(256), random.nextInt(256), random.nextInt(256));
      case 4 -> String.format(Locale.ROOT, "cache miss for key session:%08x, loading from database", random.nextInt());
      case 5 -> String.format(Locale.ROOT, "connection to db-%d.internal:5432 %s after %d ms, retrying (attempt %d)",
          random.nextInt(8), WORDS[random.nextInt(3)], 100 + random.nextInt(5000), 1 + random.nextInt(5));
      case 6 -> String.format(Locale.ROOT, "worker %d processed batch %d with %d items, %s %s", random.nextInt(64),
          random.nextInt(1_000_000), random.nextInt(10_000), WORDS[random.nextInt(WORDS.length)],
          WORDS[random.nextInt(WORDS.length)]);
      default -> String.format(Locale.ROOT, "order %d for %s failed: %s %s on shard %d", random.nextInt(10_000_000),
          USERS[random.nextInt(USERS.length)], WORDS[random.nextInt(WORDS.length)],
          WORDS[random.nextInt(WORDS.length)], random.nextInt(32));
    };
    LogRecord.Builder r = LogRecord.newBuilder()
        .setTimeUnixNano(timeNanos)
        .setObservedTimeUnixNano(timeNanos + 250_000L)
        .setSeverityNumber(severity)
        .setSeverityText(severity.name().substring("SEVERITY_NUMBER_".length()))
        .setBody(AnyValue.newBuilder().setStringValue(body))
        .addAttributes(kv("http.method", method))
        .addAttributes(KeyValue.newBuilder().setKey("http.status_code")
            .setValue(AnyValue.newBuilder().setIntValue(status)))
        .addAttributes(KeyValue.newBuilder().setKey("thread.id")
            .setValue(AnyValue.newBuilder().setIntValue(random.nextInt(200))));
    if (random.nextBoolean()) {
      r.addAttributes(kv("user.name", USERS[random.nextInt(USERS.length)]));
      byte[] trace = new byte[16];
      byte[] span = new byte[8];
      fill(trace);
      fill(span);
      r.setTraceId(ByteString.copyFrom(trace)).setSpanId(ByteString.copyFrom(span)).setFlags(1);
    }
    return r.build();
  }

  private void fill(byte[] b) {
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    b[0] |= 1; // never all zero (an all-zero id means "none")
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }
}

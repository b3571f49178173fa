package io.lumadb.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Reads {@code config.toml} into {@link LumaConfig} and checks every value. */
public final class ConfigLoader {
  private static final List<String> LOG_LEVELS = List.of("trace", "debug", "info", "warn", "error", "off");

  private static final ObjectMapper MAPPER = strictMapper();

  private ConfigLoader() {}

  /** A TOML mapper that takes each value only in its own type ("5" is no number, 5 no string). */
  private static ObjectMapper strictMapper() {
    TomlMapper m = TomlMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .build();
    for (LogicalType t : List.of(LogicalType.Textual, LogicalType.Boolean, LogicalType.Integer,
        LogicalType.Float)) {
      m.coercionConfigFor(t)
          // a whole number is a fine value for a float key (rate_limit_per_user = 100)
          .setCoercion(CoercionInputShape.Integer,
              t == LogicalType.Integer || t == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, t == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, t == LogicalType.Boolean ? CoercionAction.TryConvert : CoercionAction.Fail)
          .setCoercion(CoercionInputShape.String, t == LogicalType.Textual ? CoercionAction.TryConvert : CoercionAction.Fail);
    }
    return m;
  }

  public static LumaConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /** Parses TOML text; {@code source} names it in messages. */
  public static LumaConfig parse(String toml, String source) {
    LumaConfig config;
    try {
      config = MAPPER.readValue(toml, LumaConfig.class);
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(source + ": unknown key " + keyPath(e) + " (known keys: "
          + e.getKnownPropertyIds().stream().map(Object::toString).sorted()
              .collect(Collectors.joining(", ")) + ")", e);
    } catch (JsonMappingException e) {
      throw new ConfigException(source + ": invalid value for " + keyPath(e) + ": "
          + e.getOriginalMessage().replaceAll("\\s*\\(for .*$", "").lines().findFirst().orElse(""), e);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + ": not valid TOML: " + e.getOriginalMessage(), e);
    }
    if (config == null) {
      config = LumaConfig.defaults();
    }
    validate(config, source);
    return config;
  }

  private static String keyPath(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
  }

  private static void limits(String source, String section, double rate, long burst, int maxSeries) {
    if (rate < 0 || burst < 0 || maxSeries < 0) {
      throw new ConfigException(source + ": " + section + ".rate_limit_per_second, rate_limit_burst and"
          + " max_series_per_metric must not be negative (0 turns a limit off)");
    }
  }

  static void validate(LumaConfig c, String source) {
    port(source, "server.port", c.server().port());
    port(source, "metrics.port", c.metrics().port());
    port(source, "postgres.port", c.postgres().port());
    port(source, "prometheus.port", c.prometheus().port());
    port(source, "otlp.grpc_port", c.otlp().grpcPort());
    port(source, "otlp.http_port", c.otlp().httpPort());
    port(source, "grpc.port", c.grpc().port());
    port(source, "avatica.port", c.avatica().port());
    if (!LOG_LEVELS.contains(c.general().logLevel().toLowerCase(Locale.ROOT))) {
      throw new ConfigException(source + ": general.log_level must be one of " + LOG_LEVELS
          + ", not \"" + c.general().logLevel() + "\"");
    }
    if (c.general().dataDir().isBlank()) {
      throw new ConfigException(source + ": general.data_dir must not be empty");
    }
    if (!c.metrics().path().startsWith("/")) {
      throw new ConfigException(source + ": metrics.path must start with /, not \""
          + c.metrics().path() + "\"");
    }
    if (c.postgres().maxConnections() < 1) {
      throw new ConfigException(source + ": postgres.max_connections must be at least 1");
    }
    if (!List.of("scram-sha-256", "md5", "password", "trust").contains(c.postgres().authMethod())) {
      throw new ConfigException(source + ": postgres.auth_method must be one of scram-sha-256, md5,"
          + " password, trust, not \"" + c.postgres().authMethod() + "\"");
    }
    if (!c.postgres().authMethod().equals("scram-sha-256")
        && c.postgres().password().startsWith("SCRAM-SHA-256$")) {
      throw new ConfigException(source + ": postgres.password is a SCRAM-SHA-256 verifier, which only"
          + " auth_method = \"scram-sha-256\" can check");
    }
    if (c.postgres().maxMessageBytes() < 1024) {
      throw new ConfigException(source + ": postgres.max_message_bytes must be at least 1024");
    }
    if (c.postgres().tlsCertFile().isEmpty() != c.postgres().tlsKeyFile().isEmpty()) {
      throw new ConfigException(source + ": postgres.tls_cert_file and postgres.tls_key_file go together:"
          + " set both or neither");
    }
    if (c.postgres().tlsRequired() && !c.postgres().tls()) {
      throw new ConfigException(source + ": postgres.tls_required needs tls_cert_file and tls_key_file");
    }
    for (String f : List.of(c.postgres().tlsCertFile(), c.postgres().tlsKeyFile())) {
      if (!f.isEmpty() && !Files.isReadable(Path.of(f))) {
        throw new ConfigException(source + ": cannot read the TLS file \"" + f + "\"");
      }
    }
    if (c.postgres().rateLimitPerUser() < 0 || c.postgres().rateLimitBurst() < 1) {
      throw new ConfigException(source + ": postgres.rate_limit_per_user must be 0 (no limit) or more,"
          + " and rate_limit_burst at least 1");
    }
    if (c.prometheus().maxBodyBytes() < 1024 || c.prometheus().maxDecodedBytes() < 1024) {
      throw new ConfigException(source + ": prometheus.max_body_bytes and max_decoded_bytes must be at least 1024");
    }
    limits(source, "prometheus", c.prometheus().rateLimitPerSecond(), c.prometheus().rateLimitBurst(),
        c.prometheus().maxSeriesPerMetric());
    limits(source, "otlp", c.otlp().rateLimitPerSecond(), c.otlp().rateLimitBurst(), c.otlp().maxSeriesPerMetric());
    if (c.otlp().maxBodyBytes() < 1024) {
      throw new ConfigException(source + ": otlp.max_body_bytes must be at least 1024");
    }
    if (c.grpc().maxMessageBytes() < 1024) {
      throw new ConfigException(source + ": grpc.max_message_bytes must be at least 1024");
    }
    if (c.grpc().maxConcurrentQueries() < 1) {
      throw new ConfigException(source + ": grpc.max_concurrent_queries must be at least 1");
    }
    if (c.avatica().maxConnections() < 1) {
      throw new ConfigException(source + ": avatica.max_connections must be at least 1");
    }
    duration(source, "avatica.idle_timeout", c.avatica().idleTimeout());
    if (c.storage().sealRows() < 1) {
      throw new ConfigException(source + ": storage.seal_rows must be at least 1");
    }
    if (!List.of("always", "batch", "off").contains(c.storage().walFsync())) {
      throw new ConfigException(source + ": storage.wal_fsync must be one of always, batch, off,"
          + " not \"" + c.storage().walFsync() + "\"");
    }
    if (c.storage().walSegmentBytes() < 4096) {
      throw new ConfigException(source + ": storage.wal_segment_bytes must be at least 4096");
    }
    if (c.storage().queryMemoryLimit() != 0 && c.storage().queryMemoryLimit() < 1 << 20) {
      throw new ConfigException(source + ": storage.query_memory_limit must be at least 1048576 (or 0 for a quarter of the heap)");
    }
    if (c.storage().hotMaxBytes() < 1 << 20) {
      throw new ConfigException(source + ": storage.hot_max_bytes must be at least 1048576");
    }
    if (c.storage().warmCacheBytes() < 0) {
      throw new ConfigException(source + ": storage.warm_cache_bytes must not be negative");
    }
    if (c.storage().compactMinFiles() < 2) {
      throw new ConfigException(source + ": storage.compact_min_files must be at least 2");
    }
    duration(source, "storage.flush_age", c.storage().flushAge());
    duration(source, "storage.tiering_interval", c.storage().tieringInterval());
    if (!c.storage().defaultTtl().isEmpty()) {
      duration(source, "storage.default_ttl", c.storage().defaultTtl());
    }
    federation(source, c.federation());
  }

  private static void federation(String source, List<LumaConfig.Federation> entries) {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      LumaConfig.Federation f = entries.get(i);
      String key = "federation[" + i + "]";
      if (f.name() == null || f.name().isEmpty()) {
        throw new ConfigException(source + ": " + key + ".name is required (the schema name)");
      }
      String invalid = io.lumadb.sql.federation.FederatedSource.invalidName(f.name());
      if (invalid != null) {
        throw new ConfigException(source + ": " + key + ".name " + invalid);
      }
      if (!names.add(f.name())) {
        throw new ConfigException(source + ": " + key + ".name \"" + f.name()
            + "\" is used by another [[federation]] entry");
      }
      if (f.url() == null || !f.url().startsWith("jdbc:")) {
        throw new ConfigException(source + ": " + key + ".url is required and must be a JDBC URL"
            + " (jdbc:postgresql://host:port/database), not " + (f.url() == null ? "missing" : "\"" + f.url() + "\""));
      }
      if (f.schema().isEmpty()) {
        throw new ConfigException(source + ": " + key + ".schema must not be empty");
      }
    }
  }

  /** Parses a duration like "30d", "5m", "10s"; names the key when it cannot. */
  public static java.time.Duration duration(String source, String key, String value) {
    try {
      return io.lumadb.storage.TableOptions.parseDuration(value);
    } catch (RuntimeException e) {
      throw new ConfigException(source + ": " + key + " = \"" + value
          + "\" is not a duration (use a number with ms, s, m, h, d or w, like \"30d\")");
    }
  }

  private static void port(String source, String key, int port) {
    if (port < 0 || port > 65535) {
      throw new ConfigException(source + ": " + key + " = " + port
          + " is out of range (1-65535, or 0 for any free port)");
    }
  }
}

package io.lumadb.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The whole configuration, one record per {@code config.toml} section. Every key has a
 * default, so an empty file (or none) is a valid configuration.
 */
public record LumaConfig(
    General general,
    Server server,
    Metrics metrics,
    Postgres postgres,
    Prometheus prometheus,
    Otlp otlp,
    Grpc grpc,
    Avatica avatica,
    Storage storage,
    List<Federation> federation) {

  public LumaConfig {
    general = general != null ? general : new General(null, null);
    server = server != null ? server : new Server(null, null);
    metrics = metrics != null ? metrics : new Metrics(null, null, null, null);
    postgres = postgres != null ? postgres : new Postgres(null, null, null, null, null, null, null, null, null, null, null, null, null);
    prometheus = prometheus != null ? prometheus : new Prometheus(null, null, null, null, null, null, null, null, null);
    otlp = otlp != null ? otlp : new Otlp(null, null, null, null, null, null, null, null, null);
    grpc = grpc != null ? grpc : new Grpc(null, null, null, null, null);
    avatica = avatica != null ? avatica : new Avatica(null, null, null, null, null);
    storage = storage != null ? storage : new Storage(null, null, null, null, null, null, null, null, null, null);
    federation = federation != null ? List.copyOf(federation) : List.of();
  }

  public static LumaConfig defaults() {
    return new LumaConfig(null, null, null, null, null, null, null, null, null, null);
  }

  static final String DEFAULT_HOST = "127.0.0.1";

  /** [general] */
  public record General(
      @JsonProperty("data_dir") String dataDir,
      @JsonProperty("log_level") String logLevel) {
    public General {
      dataDir = dataDir != null ? dataDir : "./data";
      logLevel = logLevel != null ? logLevel : "info";
    }
  }

  /** [server]: the HTTP endpoint with GET /health. */
  public record Server(String host, Integer port) {
    public Server {
      host = host != null ? host : DEFAULT_HOST;
      port = port != null ? port : 8080;
    }
  }

  /** [metrics]: LumaDB's own metrics in Prometheus text format. */
  public record Metrics(Boolean enabled, String host, Integer port, String path) {
    public Metrics {
      enabled = enabled != null ? enabled : true;
      host = host != null ? host : DEFAULT_HOST;
      port = port != null ? port : 9091;
      path = path != null ? path : "/metrics";
    }
  }

  /** [postgres]: the PostgreSQL wire protocol endpoint. */
  public record Postgres(
      Boolean enabled,
      String host,
      Integer port,
      @JsonProperty("max_connections") Integer maxConnections,
      String user,
      String password,
      @JsonProperty("auth_method") String authMethod,
      @JsonProperty("max_message_bytes") Integer maxMessageBytes,
      @JsonProperty("tls_cert_file") String tlsCertFile,
      @JsonProperty("tls_key_file") String tlsKeyFile,
      @JsonProperty("tls_required") Boolean tlsRequired,
      @JsonProperty("rate_limit_per_user") Double rateLimitPerUser,
      @JsonProperty("rate_limit_burst") Integer rateLimitBurst) {
    public Postgres {
      enabled = enabled != null ? enabled : true;
      host = host != null ? host : DEFAULT_HOST;
      port = port != null ? port : 5432;
      maxConnections = maxConnections != null ? maxConnections : 100;
      user = user != null ? user : "lumadb";
      password = password != null ? password : "lumadb";
      authMethod = authMethod != null ? authMethod : "scram-sha-256";
      maxMessageBytes = maxMessageBytes != null ? maxMessageBytes : 64 << 20;
      tlsCertFile = tlsCertFile != null ? tlsCertFile : "";
      tlsKeyFile = tlsKeyFile != null ? tlsKeyFile : "";
      tlsRequired = tlsRequired != null ? tlsRequired : false;
      rateLimitPerUser = rateLimitPerUser != null ? rateLimitPerUser : 0.0;
      rateLimitBurst = rateLimitBurst != null ? rateLimitBurst
          : (int) Math.max(1, Math.ceil(rateLimitPerUser));
    }

    /** True when a certificate and key are configured. */
    public boolean tls() {
      return !tlsCertFile.isEmpty();
    }
  }

  /** [otlp]: the OpenTelemetry (OTLP) receivers for metrics, logs and traces. */
  public record Otlp(
      Boolean enabled,
      String host,
      @JsonProperty("grpc_port") Integer grpcPort,
      @JsonProperty("http_port") Integer httpPort,
      @JsonProperty("max_body_bytes") Integer maxBodyBytes,
      @JsonProperty("rate_limit_per_second") Double rateLimitPerSecond,
      @JsonProperty("rate_limit_burst") Long rateLimitBurst,
      @JsonProperty("rate_limit_sender_header") String rateLimitSenderHeader,
      @JsonProperty("max_series_per_metric") Integer maxSeriesPerMetric) {
    public Otlp {
      enabled = enabled != null ? enabled : true;
      host = host != null ? host : DEFAULT_HOST;
      grpcPort = grpcPort != null ? grpcPort : 4317;
      httpPort = httpPort != null ? httpPort : 4318;
      maxBodyBytes = maxBodyBytes != null ? maxBodyBytes : 16 << 20;
      rateLimitPerSecond = rateLimitPerSecond != null ? rateLimitPerSecond : 0.0;
      rateLimitBurst = rateLimitBurst != null ? rateLimitBurst : 0L;
      rateLimitSenderHeader = rateLimitSenderHeader != null ? rateLimitSenderHeader : "";
      maxSeriesPerMetric = maxSeriesPerMetric != null ? maxSeriesPerMetric : 100_000;
    }
  }

  /** [grpc]: the gRPC QueryService (Execute, StreamExecute). */
  public record Grpc(
      Boolean enabled,
      String host,
      Integer port,
      @JsonProperty("max_message_bytes") Integer maxMessageBytes,
      @JsonProperty("max_concurrent_queries") Integer maxConcurrentQueries) {
    public Grpc {
      enabled = enabled != null ? enabled : true;
      host = host != null ? host : DEFAULT_HOST;
      port = port != null ? port : 50051;
      maxMessageBytes = maxMessageBytes != null ? maxMessageBytes : 4 << 20;
      maxConcurrentQueries = maxConcurrentQueries != null ? maxConcurrentQueries : 64;
    }
  }

  /** [avatica]: the Avatica JDBC endpoint (protobuf over HTTP); login from [postgres]. */
  public record Avatica(
      Boolean enabled,
      String host,
      Integer port,
      @JsonProperty("max_connections") Integer maxConnections,
      @JsonProperty("idle_timeout") String idleTimeout) {
    public Avatica {
      enabled = enabled != null ? enabled : true;
      host = host != null ? host : DEFAULT_HOST;
      port = port != null ? port : 8765;
      maxConnections = maxConnections != null ? maxConnections : 100;
      idleTimeout = idleTimeout != null ? idleTimeout : "30m";
    }
  }

  /** [prometheus]: the remote write receiver. */
  public record Prometheus(
      Boolean enabled,
      String host,
      Integer port,
      @JsonProperty("max_body_bytes") Integer maxBodyBytes,
      @JsonProperty("max_decoded_bytes") Integer maxDecodedBytes,
      @JsonProperty("rate_limit_per_second") Double rateLimitPerSecond,
      @JsonProperty("rate_limit_burst") Long rateLimitBurst,
      @JsonProperty("rate_limit_sender_header") String rateLimitSenderHeader,
      @JsonProperty("max_series_per_metric") Integer maxSeriesPerMetric) {
    public Prometheus {
      enabled = enabled != null ? enabled : true;
      host = host != null ? host : DEFAULT_HOST;
      port = port != null ? port : 9090;
      maxBodyBytes = maxBodyBytes != null ? maxBodyBytes : 16 << 20;
      maxDecodedBytes = maxDecodedBytes != null ? maxDecodedBytes : 64 << 20;
      rateLimitPerSecond = rateLimitPerSecond != null ? rateLimitPerSecond : 0.0;
      rateLimitBurst = rateLimitBurst != null ? rateLimitBurst : 0L;
      rateLimitSenderHeader = rateLimitSenderHeader != null ? rateLimitSenderHeader : "";
      maxSeriesPerMetric = maxSeriesPerMetric != null ? maxSeriesPerMetric : 100_000;
    }
  }

  /** [storage] */
  public record Storage(
      @JsonProperty("seal_rows") Integer sealRows,
      @JsonProperty("wal_fsync") String walFsync,
      @JsonProperty("wal_segment_bytes") Long walSegmentBytes,
      @JsonProperty("hot_max_bytes") Long hotMaxBytes,
      @JsonProperty("flush_age") String flushAge,
      @JsonProperty("tiering_interval") String tieringInterval,
      @JsonProperty("compact_min_files") Integer compactMinFiles,
      @JsonProperty("default_ttl") String defaultTtl,
      @JsonProperty("warm_cache_bytes") Long warmCacheBytes,
      @JsonProperty("query_memory_limit") Long queryMemoryLimit) {
    public Storage {
      sealRows = sealRows != null ? sealRows : 65_536;
      walFsync = walFsync != null ? walFsync : "always";
      walSegmentBytes = walSegmentBytes != null ? walSegmentBytes : 64L << 20;
      hotMaxBytes = hotMaxBytes != null ? hotMaxBytes : 1L << 30;
      flushAge = flushAge != null ? flushAge : "5m";
      tieringInterval = tieringInterval != null ? tieringInterval : "5s";
      compactMinFiles = compactMinFiles != null ? compactMinFiles : 8;
      defaultTtl = defaultTtl != null ? defaultTtl : "";
      warmCacheBytes = warmCacheBytes != null ? warmCacheBytes : 256L << 20;
      queryMemoryLimit = queryMemoryLimit != null ? queryMemoryLimit : 0L; // 0: a quarter of the heap
    }
  }

  /**
   * One [[federation]] entry: a database attached through JDBC as the read-only schema
   * {@code name}, showing the tables of its schema {@code schema}.
   */
  public record Federation(String name, String url, String user, String password, String schema) {
    public Federation {
      user = user != null ? user : "";
      password = password != null ? password : "";
      schema = schema != null ? schema : "public";
    }
  }
}

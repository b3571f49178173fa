package io.lumadb.sql.federation;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.schema.SchemaPlus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attached sources of one engine ({@code [[federation]]} in the config): each is a
 * read-only schema in every session, backed by Calcite's JDBC adapter, which sends filters,
 * projections, joins, aggregates, sorts and limits on its tables to the source as SQL.
 */
public final class Federation implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Federation.class);

  public static final Federation NONE = new Federation(List.of());

  private final List<AttachedSource> sources;

  public Federation(List<FederatedSource> sources) {
    List<AttachedSource> attached = new ArrayList<>();
    for (FederatedSource s : sources) {
      String invalid = FederatedSource.invalidName(s.name());
      if (invalid != null) {
        throw new IllegalArgumentException("federation name " + invalid);
      }
      if (attached.stream().anyMatch(a -> a.source().name().equals(s.name()))) {
        throw new IllegalArgumentException("federation name \"" + s.name() + "\" is used twice");
      }
      attached.add(new AttachedSource(s));
    }
    this.sources = List.copyOf(attached);
  }

  /**
   * Tries each source once and logs the outcome; an unreachable source is a warning, not a
   * failure: its schema stays registered and its queries fail with 08001 until it answers.
   */
  public void probe() {
    for (AttachedSource a : sources) {
      FederatedSource s = a.source();
      if (a.probe()) {
        LOG.info("federated schema {}: connected to {}", s.name(), s.displayUrl());
      } else {
        LOG.warn("federated schema {}: {} is not reachable now; its queries fail until it is",
            s.name(), s.displayUrl());
      }
    }
  }

  /** The attached schemas' names, in config order. */
  public List<String> schemaNames() {
    return sources.stream().map(a -> a.source().name()).toList();
  }

  public boolean isFederated(String schema) {
    return sources.stream().anyMatch(a -> a.source().name().equals(schema));
  }

  /** Adds every attached schema to a session's root schema. */
  public void register(SchemaPlus root) {
    for (AttachedSource a : sources) {
      a.register(root);
    }
  }

  @Override
  public void close() {
    sources.forEach(AttachedSource::close);
  }
}

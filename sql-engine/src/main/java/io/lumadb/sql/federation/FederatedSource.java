package io.lumadb.sql.federation;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One {@code [[federation]]} entry: a database reached through JDBC whose tables in
 * {@code remoteSchema} appear in LumaDB's schema {@code name}.
 */
public record FederatedSource(String name, String url, String user, String password, String remoteSchema) {
  /** Schemas LumaDB defines itself; an attached source may not take their names. */
  public static final List<String> RESERVED_NAMES =
      List.of("public", "metrics", "otel", "pg_catalog", "information_schema");

  /** A name users can write unquoted: PostgreSQL folds unquoted names to lower case. */
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");

  public FederatedSource {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
  }

  /** Why {@code name} cannot name an attached schema, or null when it can. */
  public static String invalidName(String name) {
    if (!NAME.matcher(name).matches()) {
      return "must be a lower-case identifier ([a-z_][a-z0-9_]*), not \"" + name + "\"";
    }
    if (RESERVED_NAMES.contains(name)) {
      return "\"" + name + "\" is a built-in schema (reserved: " + String.join(", ", RESERVED_NAMES) + ")";
    }
    return null;
  }

  /** The URL without its query part, which may carry credentials, for messages and logs. */
  public String displayUrl() {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }
}

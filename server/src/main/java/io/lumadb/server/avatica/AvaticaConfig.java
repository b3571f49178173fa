package io.lumadb.server.avatica;

import java.time.Duration;

/**
 * Settings of the Avatica JDBC endpoint.
 *
 * @param user the login (shared with the PostgreSQL endpoint)
 * @param password its password, in plain text or as a PostgreSQL SCRAM-SHA-256 verifier
 * @param authRequired false ("trust"): requests need no credentials
 * @param maxConnections open JDBC connections; more are refused with SQLSTATE 53300
 * @param idleTimeout a connection without requests for this long is closed
 */
public record AvaticaConfig(
    String host,
    int port,
    String user,
    String password,
    boolean authRequired,
    int maxConnections,
    Duration idleTimeout) {}

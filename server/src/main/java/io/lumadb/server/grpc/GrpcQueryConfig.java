package io.lumadb.server.grpc;

/**
 * Settings of the gRPC QueryService.
 *
 * @param maxMessageBytes largest request accepted and largest Execute answer sent
 * @param maxConcurrentQueries statements running at once; more are refused with E002
 * @param user the login (shared with the PostgreSQL endpoint)
 * @param password its password, in plain text or as a PostgreSQL SCRAM-SHA-256 verifier
 * @param authRequired false ("trust"): calls need no credentials
 */
public record GrpcQueryConfig(
    String host,
    int port,
    int maxMessageBytes,
    int maxConcurrentQueries,
    String user,
    String password,
    boolean authRequired) {}

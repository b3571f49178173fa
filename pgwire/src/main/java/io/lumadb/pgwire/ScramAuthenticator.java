package io.lumadb.pgwire;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL speaks it: the client's
 * first message, the server's challenge, the client's proof, the server's signature. One
 * instance per authentication attempt.
 */
final class ScramAuthenticator {
  static final String MECHANISM = "SCRAM-SHA-256";
  private static final SecureRandom RANDOM = new SecureRandom();
  static final int ITERATIONS = 4096;

  /** What the server keeps for a user instead of the password (PostgreSQL's verifier). */
  record Verifier(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
    static Verifier fromPassword(String password) {
      byte[] salt = new byte[16];
      RANDOM.nextBytes(salt);
      return fromPassword(password, salt, ITERATIONS);
    }

    static Verifier fromPassword(String password, byte[] salt, int iterations) {
      byte[] salted = hi(password, salt, iterations);
      return new Verifier(salt, iterations, sha256(hmac(salted, "Client Key")), hmac(salted, "Server Key"));
    }

    /** Parses "SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey" (base64 parts), or null. */
    static Verifier parse(String s) {
      if (s == null || !s.startsWith(MECHANISM + "$")) {
        return null;
      }
      try {
        String[] parts = s.substring(MECHANISM.length() + 1).split("\\$");
        String[] iterSalt = parts[0].split(":");
        String[] keys = parts[1].split(":");
        Base64.Decoder d = Base64.getDecoder();
        return new Verifier(d.decode(iterSalt[1]), Integer.parseInt(iterSalt[0]),
            d.decode(keys[0]), d.decode(keys[1]));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("malformed SCRAM-SHA-256 verifier");
      }
    }

    String format() {
      Base64.Encoder e = Base64.getEncoder();
      return MECHANISM + "$" + iterations + ":" + e.encodeToString(salt) + "$"
          + e.encodeToString(storedKey) + ":" + e.encodeToString(serverKey);
    }
  }

  private final Verifier verifier;
  private String clientFirstBare;
  private String serverFirst;
  private String nonce;
  private String gs2Header;

  private final String fixedServerNonce;

  ScramAuthenticator(Verifier verifier) {
    this(verifier, null);
  }

  /** With a fixed server nonce, for checking against the RFC's worked example only. */
  ScramAuthenticator(Verifier verifier, String fixedServerNonce) {
    this.verifier = verifier;
    this.fixedServerNonce = fixedServerNonce;
  }

  /** Handles SASLInitialResponse's data; returns the server-first-message. */
  String first(String clientFirst) {
    // gs2-header: "n,," (no channel binding) or "y,," (client could, server did not offer).
    int comma2 = clientFirst.indexOf(',', clientFirst.indexOf(',') + 1);
    if (comma2 < 0 || !(clientFirst.startsWith("n,") || clientFirst.startsWith("y,"))) {
      throw new PgProtocolException("08P01", "malformed SCRAM client-first-message (channel binding is not supported)");
    }
    gs2Header = clientFirst.substring(0, comma2 + 1);
    clientFirstBare = clientFirst.substring(comma2 + 1);
    String clientNonce = attributes(clientFirstBare).get("r");
    if (clientNonce == null || clientNonce.isEmpty()) {
      throw new PgProtocolException("08P01", "SCRAM client-first-message has no nonce");
    }
    byte[] serverNonce = new byte[18];
    RANDOM.nextBytes(serverNonce);
    nonce = clientNonce + (fixedServerNonce != null ? fixedServerNonce
        : Base64.getEncoder().encodeToString(serverNonce));
    serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(verifier.salt())
        + ",i=" + verifier.iterations();
    return serverFirst;
  }

  /** Checks the client's proof; returns the server-final-message, or null if the proof is wrong. */
  String fin(String clientFinal) {
    Map<String, String> a = attributes(clientFinal);
    String proof = a.get("p");
    int proofAt = clientFinal.lastIndexOf(",p=");
    if (proof == null || proofAt < 0 || !nonce.equals(a.get("r"))) {
      throw new PgProtocolException("08P01", "malformed SCRAM client-final-message");
    }
    String expectedBinding = Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.UTF_8));
    if (!expectedBinding.equals(a.get("c"))) {
      throw new PgProtocolException("08P01", "SCRAM channel binding does not match");
    }
    String authMessage = clientFirstBare + "," + serverFirst + "," + clientFinal.substring(0, proofAt);
    byte[] clientSignature = hmac(verifier.storedKey(), authMessage);
    byte[] clientProof;
    try {
      clientProof = Base64.getDecoder().decode(proof);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (clientProof.length != clientSignature.length) {
      return null;
    }
    byte[] clientKey = new byte[clientProof.length];
    for (int i = 0; i < clientKey.length; i++) {
      clientKey[i] = (byte) (clientProof[i] ^ clientSignature[i]);
    }
    if (!MessageDigest.isEqual(sha256(clientKey), verifier.storedKey())) {
      return null;
    }
    return "v=" + Base64.getEncoder().encodeToString(hmac(verifier.serverKey(), authMessage));
  }

  private static Map<String, String> attributes(String msg) {
    Map<String, String> m = new HashMap<>();
    for (String part : msg.split(",")) {
      if (part.length() >= 2 && part.charAt(1) == '=') {
        m.put(part.substring(0, 1), part.substring(2));
      }
    }
    return m;
  }

  static byte[] hi(String password, byte[] salt, int iterations) {
    try {
      SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
      return f.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}

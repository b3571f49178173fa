package io.lumadb.server.grpc;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a cleartext password (as HTTP Basic sends it) against the configured one, which is
 * either plain text or a PostgreSQL SCRAM-SHA-256 verifier
 * ({@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}, RFC 5802 / 7677).
 * Shared by the gRPC and Avatica endpoints.
 */
public final class PasswordCheck {
  private static final Pattern VERIFIER =
      Pattern.compile("SCRAM-SHA-256\\$(\\d+):([^$]+)\\$([^:]+):(.+)");
  /** Digests of passwords already verified against a SCRAM verifier: PBKDF2 costs milliseconds. */
  private static final int CACHE_LIMIT = 256;

  private final byte[] plain;
  private final int iterations;
  private final byte[] salt;
  private final byte[] storedKey;
  private final Set<String> verified = ConcurrentHashMap.newKeySet();

  public PasswordCheck(String configured) {
    Matcher m = VERIFIER.matcher(configured);
    if (m.matches()) {
      plain = null;
      iterations = Integer.parseInt(m.group(1));
      salt = Base64.getDecoder().decode(m.group(2));
      storedKey = Base64.getDecoder().decode(m.group(3));
    } else {
      plain = configured.getBytes(StandardCharsets.UTF_8);
      iterations = 0;
      salt = null;
      storedKey = null;
    }
  }

  public boolean matches(String password) {
    byte[] given = password.getBytes(StandardCharsets.UTF_8);
    if (plain != null) {
      return MessageDigest.isEqual(plain, given);
    }
    String digest = Base64.getEncoder().encodeToString(sha256(given));
    if (verified.contains(digest)) {
      return true;
    }
    boolean ok = MessageDigest.isEqual(storedKey, sha256(hmac(saltedPassword(password), "Client Key")));
    if (ok) {
      if (verified.size() >= CACHE_LIMIT) {
        verified.clear();
      }
      verified.add(digest);
    }
    return ok;
  }

  private byte[] saltedPassword(String password) {
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
          .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JVM", e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** {user, password} from an HTTP/gRPC {@code Basic} authorization value, or null when there is none. */
  public static String[] basicCredentials(String header) {
    if (header == null || header.length() < 6
        || !header.substring(0, 6).toLowerCase(java.util.Locale.ROOT).equals("basic ")) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(java.util.Base64.getDecoder().decode(header.substring(6).trim()),
          java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
  }
}

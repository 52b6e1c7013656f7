package dev.rumstream.streams.topology;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pseudonymizes subject ids for output topics with a keyed hash (HMAC-SHA256), so receipts can be
 * kept long.
 */
final class SubjectHasher {
  private final SecretKeySpec key;

  SubjectHasher(byte[] secret) {
    this.key = new SecretKeySpec(secret, "HmacSHA256");
  }

  String hash(String subjectId) {
    if (subjectId == null || subjectId.isBlank()) {
      return null;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return "hmac-sha256:"
          + HexFormat.of().formatHex(mac.doFinal(subjectId.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
    }
  }
}

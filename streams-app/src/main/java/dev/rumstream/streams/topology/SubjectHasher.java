package dev.rumstream.streams.topology;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pseudonymizes subject ids for output topics with a keyed hash (HMAC-SHA256), so receipts can be
 * kept long. One per processor (a {@code Mac} is not thread-safe), initialized once.
 */
final class SubjectHasher {
  private final Mac mac;

  SubjectHasher(byte[] secret) {
    try {
      this.mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
    }
  }

  String hash(String subjectId) {
    if (subjectId == null || subjectId.isBlank()) {
      return null;
    }
    return "hmac-sha256:"
        + HexFormat.of().formatHex(mac.doFinal(subjectId.getBytes(StandardCharsets.UTF_8)));
  }
}

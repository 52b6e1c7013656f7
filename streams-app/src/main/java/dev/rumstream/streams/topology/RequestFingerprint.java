package dev.rumstream.streams.topology;

import dev.rumstream.avro.DeletionRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeSet;

/**
 * What a request asks for, as a SHA-256 digest: its model, subject (its keyed hash: the raw id
 * never reaches state), set of example ids and reason. A record with a known request id and the
 * same fingerprint is a resend (its timestamps, reference and source may differ); one with another
 * fingerprint is a conflicting reuse of the id.
 */
final class RequestFingerprint {

  private RequestFingerprint() {}

  static String of(DeletionRequest request, String subjectHash) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    StringBuilder content = new StringBuilder();
    content.append(request.getModelId()).append('\0');
    content.append(subjectHash).append('\0');
    content.append(request.getReason()).append('\0');
    new TreeSet<>(request.getExampleIds()).forEach(id -> content.append(id).append(','));
    return HexFormat.of()
        .formatHex(digest.digest(content.toString().getBytes(StandardCharsets.UTF_8)));
  }
}

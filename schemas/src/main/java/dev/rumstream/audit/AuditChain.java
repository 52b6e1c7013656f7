package dev.rumstream.audit;

import dev.rumstream.avro.AuditRecord;
import dev.rumstream.avro.AuditTransition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The audit trail's per-request chain: each {@link AuditRecord} carries an HMAC-SHA256 over its
 * content and the previous record's mac, under the audit key ({@code rumstream.audit.key}), which
 * the streams app, the workers and {@code rumstream audit verify} share. The content is encoded
 * field by field with a length before each (details sorted by key), so no two contents encode
 * alike.
 */
public final class AuditChain {
  /** The development key, which the services refuse unless {@code rumstream.dev.mode} is set. */
  public static final String DEVELOPMENT_KEY = "rumstream-development-audit-key";

  /** Why a service refuses to start on the development key outside a local trial. */
  public static final String DEVELOPMENT_KEY_REFUSED =
      "rumstream.audit.key is the published development key: anyone could rewrite the audit trail"
          + " and sign it. Set a secret (RUMSTREAM_AUDIT_KEY, the same for the streams app, the"
          + " workers and rumstream audit verify), or rumstream.dev.mode=true for a local trial.";

  private static final String ALGORITHM = "HmacSHA256";

  /** The end of a request's chain so far, which its next record continues. */
  public record Link(int sequence, String mac) {
    public static Link of(AuditRecord record) {
      return new Link(record.getSequence(), record.getMac());
    }
  }

  private final SecretKeySpec key;
  private final String actor;

  /**
   * Initialized once per thread: looking the algorithm up and keying it cost more than the MAC of a
   * record. A {@code Mac} resets after {@code doFinal}, so each thread reuses its own.
   */
  private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

  /**
   * @param key the audit key
   * @param actor who writes with this chain (the streams app's application id, a worker's id)
   */
  public AuditChain(String key, String actor) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("the audit key is empty (rumstream.audit.key)");
    }
    this.key = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    this.actor = actor;
  }

  /** A request's first record (ACCEPTED or REJECTED). */
  public AuditRecord first(
      String requestId,
      AuditTransition transition,
      Instant at,
      String modelId,
      Map<String, String> details) {
    return next(null, requestId, transition, at, modelId, details);
  }

  /** The record after {@code previous} (none: the request's first record). */
  public AuditRecord next(
      Link previous,
      String requestId,
      AuditTransition transition,
      Instant at,
      String modelId,
      Map<String, String> details) {
    AuditRecord record =
        AuditRecord.newBuilder()
            .setRequestId(requestId)
            .setSequence(previous == null ? 0 : previous.sequence() + 1)
            .setTransition(transition)
            .setAt(Instant.ofEpochMilli(at.toEpochMilli()))
            .setModelId(modelId)
            .setActor(actor)
            .setDetails(new TreeMap<>(details))
            .setPreviousMac(previous == null ? null : previous.mac())
            .setMac("")
            .build();
    record.setMac(mac(record));
    return record;
  }

  /** Whether the record's mac is the one its content and previous mac give under this key. */
  public boolean authentic(AuditRecord record) {
    return MessageDigest.isEqual(
        mac(record).getBytes(StandardCharsets.US_ASCII),
        record.getMac().getBytes(StandardCharsets.US_ASCII));
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
  }

  private String mac(AuditRecord record) {
    Mac mac = macs.get();
    // A record that failed half way (a null field) must not leave its bytes in the next one's MAC.
    mac.reset();
    field(mac, record.getRequestId());
    field(mac, Integer.toString(record.getSequence()));
    field(mac, record.getTransition().name());
    field(mac, Long.toString(record.getAt().toEpochMilli()));
    field(mac, record.getModelId());
    field(mac, record.getActor());
    Map<String, String> details = new TreeMap<>(record.getDetails());
    field(mac, Integer.toString(details.size()));
    details.forEach(
        (name, value) -> {
          field(mac, name);
          field(mac, value);
        });
    field(mac, record.getPreviousMac() == null ? "" : record.getPreviousMac());
    return HexFormat.of().formatHex(mac.doFinal());
  }

  private static void field(Mac mac, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    mac.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
    mac.update(bytes);
  }
}

package dev.rumstream.serde;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 instantiates generated classes only from trusted packages (a CVE-2024-47561 hardening).
 * The setting is JVM-wide, so applications call this once at their entry point; tests pass {@code
 * -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.rumstream.avro} instead.
 */
public final class AvroTrust {
  private static final String CONTRACTS = "dev.rumstream.avro.";

  private AvroTrust() {}

  /** Trusts rumstream's generated contract classes in addition to whatever is trusted already. */
  public static void trustRumstreamContracts() {
    ClassSecurityValidator.ClassSecurityPredicate ours =
        type -> type.getName().startsWith(CONTRACTS);
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), ours));
  }
}

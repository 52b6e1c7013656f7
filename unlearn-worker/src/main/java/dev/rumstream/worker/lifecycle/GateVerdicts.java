package dev.rumstream.worker.lifecycle;

import dev.rumstream.avro.GateCheck;
import dev.rumstream.avro.GateVerdict;

/** The gate's verdict as published on the model-versions, metrics and receipt topics. */
public final class GateVerdicts {
  private GateVerdicts() {}

  /** The Avro form of {@code result}; null for null (version 0 and retrains are not gated). */
  public static GateVerdict toAvro(GateResult result) {
    if (result == null) {
      return null;
    }
    return GateVerdict.newBuilder()
        .setPassed(result.passed())
        .setBaselineVersion(result.baselineVersion())
        .setChecks(
            result.checks().stream()
                .map(
                    check ->
                        GateCheck.newBuilder()
                            .setName(check.name())
                            .setValue(check.value())
                            .setLimit(check.limit())
                            .setPassed(check.passed())
                            .setMargin(check.margin())
                            .build())
                .toList())
        .build();
  }
}

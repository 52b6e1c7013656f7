package dev.rumstream.bench.rum;

import dev.rumstream.engine.algorithms.UnlearningOutcome;
import dev.rumstream.engine.data.DeletionLedger;

/** What a step did and the ledger after it (every id deleted so far, this step's included). */
public record RumStepResult(
    RumStep step,
    UnlearningOutcome outcome,
    DeletionLedger deletedBefore,
    DeletionLedger deletedAfter) {}

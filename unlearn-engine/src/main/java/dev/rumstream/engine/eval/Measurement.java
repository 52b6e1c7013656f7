package dev.rumstream.engine.eval;

import java.util.OptionalDouble;

/**
 * One model's accuracies, MIA on the forget set and (when asked for) entanglement of forget vs
 * retain embeddings.
 *
 * @param mia the fraction of the forget set the attack calls non-member
 * @param heldOutMia the fraction of held-out test examples (those not used to fit the attack) it
 *     calls non-member: what true non-members get; NaN when every test example is a shadow one
 */
public record Measurement(
    Accuracies accuracies, double mia, double heldOutMia, OptionalDouble entanglement) {}

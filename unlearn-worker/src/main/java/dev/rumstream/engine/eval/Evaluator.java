package dev.rumstream.engine.eval;

import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.model.Classifier;

import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.Random;

/** Measures a model on evaluation sets: accuracies, the SVC MIA on the forget set, and the entanglement score. */
public final class Evaluator {

    private final EngineConfig config;
    private final Inference inference;

    public Evaluator(EngineConfig config) {
        this.config = config;
        this.inference = new Inference(config.evalBatchSize());
    }

    public Inference inference() {
        return inference;
    }

    public Accuracies accuracies(Classifier model, EvaluationSets sets) {
        return new Accuracies(
                inference.accuracy(model, sets.train(), sets.forgetRows()),
                inference.accuracy(model, sets.train(), sets.retainRows()),
                inference.accuracy(model, sets.test(), sets.test().allRows()));
    }

    /**
     * The SVC attack on true-class confidence: shadow members are the first n retain examples, shadow non-members
     * the first n test examples, n = min(|R|, |test|, the configured shadow size); target = the forget set.
     */
    public double mia(Classifier model, EvaluationSets sets) {
        int n = Math.min(config.miaShadowSize(), Math.min(sets.retainRows().length, sets.test().size()));
        double[] members = inference.predict(model, sets.train(), Arrays.copyOf(sets.retainRows(), n))
                .trueClassConfidence();
        double[] nonMembers = inference.predict(model, sets.test(), Arrays.copyOf(sets.test().allRows(), n))
                .trueClassConfidence();
        double[] target = inference.predict(model, sets.train(), sets.forgetRows()).trueClassConfidence();
        return MembershipInference.nonMemberFraction(members, nonMembers, target);
    }

    /** Entanglement of the forget set with (a seeded sample of) the retain set, in {@code model}'s embedding. */
    public double entanglement(Classifier model, EvaluationSets sets) {
        int[] retain = sets.retainRows();
        if (retain.length > config.embeddingSample()) {
            retain = Arrays.copyOf(dev.rumstream.engine.data.Batches.shuffled(retain, new Random(config.seed())),
                    config.embeddingSample());
        }
        return Entanglement.score(inference.embeddings(model, sets.train(), retain),
                inference.embeddings(model, sets.train(), sets.forgetRows()), model.embeddingSize());
    }

    public Measurement measure(Classifier model, EvaluationSets sets, boolean withEntanglement) {
        return new Measurement(accuracies(model, sets), mia(model, sets),
                withEntanglement ? OptionalDouble.of(entanglement(model, sets)) : OptionalDouble.empty());
    }
}

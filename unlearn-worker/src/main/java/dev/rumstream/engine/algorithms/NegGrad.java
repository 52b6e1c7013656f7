package dev.rumstream.engine.algorithms;

import dev.rumstream.engine.EngineConfig;
import dev.rumstream.engine.model.Classifier;
import dev.rumstream.engine.train.EpochProgress;
import dev.rumstream.engine.train.Losses;
import dev.rumstream.engine.train.Sgd;
import dev.rumstream.engine.train.Steps;

import java.util.Map;

/** NegGrad (GA): gradient ascent on the forget set's cross-entropy; no retain term. Defaults: lr 1e-4, 5 epochs. */
public final class NegGrad extends IterativeUnlearner {

    public record Params(CommonParams common) {
        static Params parse(Map<String, String> values, long seed) {
            HyperParameters hp = new HyperParameters(values);
            Params p = new Params(CommonParams.parse(hp, 1e-4, 5, seed));
            hp.requireAllRead(UnlearningAlgorithm.NEG_GRAD);
            return p;
        }

        public Map<String, String> toMap() {
            return common.toMap();
        }
    }

    private final Params params;

    NegGrad(EngineConfig config, Params params) {
        super(config, params.common());
        this.params = params;
    }

    @Override
    public UnlearningAlgorithm algorithm() {
        return UnlearningAlgorithm.NEG_GRAD;
    }

    @Override
    public Map<String, String> hyperParameters() {
        return params.toMap();
    }

    @Override
    void run(Classifier model, UnlearningRequest request, int[] forgetRows, int[] retainRows) {
        var train = request.train();
        try (Sgd sgd = new Sgd(model.trainableParameters(), common.learningRate(), common.momentum(),
                common.weightDecay())) {
            for (int epoch = 0; epoch < common.epochs(); epoch++) {
                var batches = epochBatches(forgetRows, epoch, 1);
                try (EpochProgress progress = progress(epoch, batches.size())) {
                    for (int[] batch : batches) {
                        progress.step(Steps.descend(sgd, () -> Losses.crossEntropy(
                                model.logits(train.images(model.manager(), batch), true),
                                model.manager().create(train.labels(batch))).neg()));
                    }
                }
            }
        }
    }
}

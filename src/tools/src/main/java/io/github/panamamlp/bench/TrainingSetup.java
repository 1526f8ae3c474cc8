package io.github.panamamlp.bench;

import io.github.panamamlp.nn.Activation;
import io.github.panamamlp.nn.Init;
import io.github.panamamlp.nn.Model;
import io.github.panamamlp.preset.Preset;
import io.github.panamamlp.reference.ReferenceMlp;
import io.github.panamamlp.train.Adam;
import io.github.panamamlp.train.Momentum;
import io.github.panamamlp.train.Optimizer;
import io.github.panamamlp.train.Sgd;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One training configuration of the 784 → hidden sigmoid → 10 softmax network: a {@link Preset} ({@link #of}),
 * or another one for tests.
 *
 * @param name      a short label for tables (the preset's, e.g. "default", "tutorial")
 * @param hidden    the hidden layer's units
 * @param init      the weight initialization
 * @param optimizer the update rule
 * @param batchSize images per mini-batch
 */
public record TrainingSetup(String name, int hidden, Init init, Optimizer optimizer, int batchSize) {
    /** Checks the values. */
    public TrainingSetup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(optimizer, "optimizer");
        if (hidden < 1 || batchSize < 1) {
            throw new IllegalArgumentException("hidden units and batch size must be at least 1, got " + hidden + " and " + batchSize);
        }
    }

    /** The setup of {@code preset}, labelled with its name. */
    public static TrainingSetup of(Preset preset) {
        return new TrainingSetup(preset.label(), Preset.HIDDEN_UNITS, preset.init(), preset.optimizer(), preset.batchSize());
    }

    /** A model of this setup for {@code inputs} features and {@code classes} classes, computing products with {@code blas}. */
    public Model buildModel(int inputs, int classes, long seed, io.github.panamamlp.blas.Blas blas) {
        return Model.builder(inputs).dense(hidden, Preset.HIDDEN_ACTIVATION).dense(classes, Activation.SOFTMAX)
                .init(init).seed(seed).blas(blas).build();
    }

    /** The pure-Java reference network with a copy of {@code model}'s current parameters. */
    public static ReferenceMlp referenceOf(Model model) {
        List<double[][]> w = new ArrayList<>();
        List<double[]> b = new ArrayList<>();
        List<String> act = new ArrayList<>();
        for (int i = 0; i < model.denseLayers().size(); i++) {
            w.add(model.denseLayers().get(i).weights().toArray2D());
            b.add(model.denseLayers().get(i).bias().toArray());
            if (i + 1 < model.denseLayers().size()) {
                act.add(switch (model.layerSpecs().get(i).activation()) {
                    case SIGMOID -> ReferenceMlp.SIGMOID;
                    case RELU -> ReferenceMlp.RELU;
                    case SOFTMAX -> throw new IllegalArgumentException("softmax on a hidden layer");
                });
            }
        }
        return new ReferenceMlp(w, b, act);
    }

    /** One step of this setup's optimizer on the reference network; returns the batch loss before the update. */
    public double referenceStep(ReferenceMlp ref, double[][] x, int[] labels) {
        return switch (optimizer) {
            case Sgd s -> ref.sgdStep(x, labels, s.learningRate());
            case Momentum m -> ref.momentumStep(x, labels, m.learningRate(), m.momentum());
            case Adam a -> ref.adamStep(x, labels, a.learningRate(), a.beta1(), a.beta2(), a.epsilon());
        };
    }

    /** e.g. "784→50 sigmoid→10, glorot-uniform, adam(lr=0.001, …), batch 32". */
    public String describe(int inputs, int classes) {
        return inputs + "→" + hidden + " " + Preset.HIDDEN_ACTIVATION.id() + "→" + classes + ", " + init + ", " + optimizer.describe() + ", batch " + batchSize;
    }
}

package io.github.panamamlp.bench;

import io.github.panamamlp.nn.Activation;
import io.github.panamamlp.nn.Init;
import io.github.panamamlp.nn.Model;
import io.github.panamamlp.preset.Preset;
import io.github.panamamlp.reference.ReferenceMlp;
import io.github.panamamlp.tensor.DType;
import io.github.panamamlp.train.Adam;
import io.github.panamamlp.train.Momentum;
import io.github.panamamlp.train.Optimizer;
import io.github.panamamlp.train.Sgd;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One training configuration of a 784 → hidden… → 10 softmax network: a {@link Preset} ({@link #of}), the wide
 * network where BLAS threads pay ({@link #wide}), or another one for tests.
 *
 * @param name       a short label for tables (the preset's, e.g. "default", "tutorial"; "wide")
 * @param hidden     the units of each hidden layer
 * @param depth      the number of hidden layers
 * @param activation the hidden layers' activation
 * @param init       the weight initialization
 * @param optimizer  the update rule
 * @param batchSize  images per mini-batch
 * @param imageLimit train on the first this many images only (0: all), to keep a large network's epochs short
 * @param reference  whether the pure-Java reference may be timed on it (not on networks where it takes minutes)
 */
public record TrainingSetup(String name, int hidden, int depth, Activation activation, Init init, Optimizer optimizer,
                            int batchSize, int imageLimit, boolean reference) {
    /** The name of {@link #wide()}. */
    public static final String WIDE = "wide";

    /** Checks the values. */
    public TrainingSetup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(optimizer, "optimizer");
        if (hidden < 1 || depth < 1 || batchSize < 1 || imageLimit < 0) {
            throw new IllegalArgumentException("hidden units, layers and batch size must be at least 1 and the image limit "
                    + "at least 0, got " + hidden + ", " + depth + ", " + batchSize + " and " + imageLimit);
        }
        if (activation == Activation.SOFTMAX) {
            throw new IllegalArgumentException("softmax is the output layer's, not a hidden layer's");
        }
    }

    /** One hidden layer of the presets' activation, on every image, with the reference. */
    public TrainingSetup(String name, int hidden, Init init, Optimizer optimizer, int batchSize) {
        this(name, hidden, 1, Preset.HIDDEN_ACTIVATION, init, optimizer, batchSize, 0, true);
    }

    /** The setup of {@code preset}, labelled with its name. */
    public static TrainingSetup of(Preset preset) {
        return new TrainingSetup(preset.label(), Preset.HIDDEN_UNITS, preset.init(), preset.optimizer(), preset.batchSize());
    }

    /**
     * 784 → 1024 → 1024 → 10 ReLU, Glorot, Adam 1e-3, batch 256, on the first 15,000 images: products of 50 to
     * 270 million multiply-adds, where a second BLAS thread pays (the presets' products are under 4 million,
     * where it does not). No reference: the pure-Java network would take minutes per epoch.
     */
    public static TrainingSetup wide() {
        return new TrainingSetup(WIDE, 1024, 2, Activation.RELU, Init.glorotUniform(), new Adam(1e-3), 256, 15_000, false);
    }

    /** The setup called {@code name}: a preset's label or alias, or "wide". */
    public static TrainingSetup named(String name) {
        return WIDE.equalsIgnoreCase(name) ? wide() : of(Preset.named(name));
    }

    /** A float64 model of this setup for {@code inputs} features and {@code classes} classes, computing products with {@code blas}. */
    public Model buildModel(int inputs, int classes, long seed, io.github.panamamlp.blas.Blas blas) {
        return buildModel(inputs, classes, seed, blas, DType.FLOAT64);
    }

    /** A model of this setup whose matrices (parameters, gradients, batches) are of element type {@code dtype}. */
    public Model buildModel(int inputs, int classes, long seed, io.github.panamamlp.blas.Blas blas, DType dtype) {
        Model.Builder b = Model.builder(inputs).dtype(dtype);
        for (int i = 0; i < depth; i++) {
            b.dense(hidden, activation);
        }
        return b.dense(classes, Activation.SOFTMAX).init(init).seed(seed).blas(blas).build();
    }

    /** {@return the parameters of this network for 784 inputs and 10 classes} */
    public long parameters(int inputs, int classes) {
        long p = 0;
        int in = inputs;
        for (int i = 0; i < depth; i++) {
            p += (long) in * hidden + hidden;
            in = hidden;
        }
        return p + (long) in * classes + classes;
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
        String layers = inputs + "→" + hidden + ("→" + hidden).repeat(depth - 1);
        return layers + " " + activation.id() + "→" + classes + ", " + init + ", " + optimizer.describe() + ", batch " + batchSize
                + (imageLimit > 0 ? ", first " + String.format(java.util.Locale.ROOT, "%,d", imageLimit) + " images" : "");
    }
}

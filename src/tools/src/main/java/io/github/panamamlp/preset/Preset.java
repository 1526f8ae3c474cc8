package io.github.panamamlp.preset;

import io.github.panamamlp.internal.Untrusted;
import io.github.panamamlp.nn.Activation;
import io.github.panamamlp.nn.Init;
import io.github.panamamlp.train.Adam;
import io.github.panamamlp.train.Optimizer;
import io.github.panamamlp.train.Sgd;

import java.util.Arrays;
import java.util.Locale;

/**
 * The training setups of the tutorial this project follows, defined here once: the command line's
 * {@code --preset} ({@code train}, {@code summary}) and the benchmark's epochs ({@code bench --presets},
 * the JMH training step) all read them from this enum. Both train 784 → {@value #HIDDEN_UNITS} sigmoid → 10 softmax.
 */
public enum Preset {
    /** The tutorial's Keras cell: Glorot uniform init, Adam lr 0.001, batch 32. */
    DEFAULT("keras", "the tutorial's Keras cell", Init.glorotUniform(), new Adam(1e-3), 32),
    /** The tutorial's numpy loop: normal init σ 0.01, SGD lr 0.1, batch 100. */
    TUTORIAL("numpy", "the tutorial's numpy loop", Init.normal(0.01), new Sgd(0.1), 100);

    /** Units of the one hidden layer, in every preset. */
    public static final int HIDDEN_UNITS = 50;
    /** The hidden layer's activation, in every preset. */
    public static final Activation HIDDEN_ACTIVATION = Activation.SIGMOID;

    private final String alias;
    private final String origin;
    private final Init init;
    private final Optimizer optimizer;
    private final int batchSize;

    Preset(String alias, String origin, Init init, Optimizer optimizer, int batchSize) {
        this.alias = alias;
        this.origin = origin;
        this.init = init;
        this.optimizer = optimizer;
        this.batchSize = batchSize;
    }

    /** {@return the name on the command line and in reports: "default" or "tutorial"} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@return the other name the command line accepts: "keras" or "numpy"} */
    public String alias() {
        return alias;
    }

    /** {@return where the setup comes from, e.g. "the tutorial's Keras cell"} */
    public String origin() {
        return origin;
    }

    /** {@return how the weights are drawn} */
    public Init init() {
        return init;
    }

    /** {@return the update rule, with its learning rate} */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** {@return images per mini-batch} */
    public int batchSize() {
        return batchSize;
    }

    /**
     * The preset called {@code name} (its label or its alias, in any case).
     *
     * @throws IllegalArgumentException naming the accepted names
     */
    public static Preset named(String name) {
        for (Preset p : values()) {
            if (p.label().equalsIgnoreCase(name) || p.alias.equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preset " + Untrusted.quote(name) + " (expected "
                + String.join(" or ", Arrays.stream(values()).map(Preset::label).toList()) + ")");
    }
}

package io.github.panamamlp.nn;

import java.util.Locale;

/** The activation after a dense layer. {@link #SOFTMAX} is only allowed on the last layer. */
public enum Activation {
    /** y = 1 / (1 + e^(−x)), for hidden layers. */
    SIGMOID,
    /** y = max(x, 0), for hidden layers. */
    RELU,
    /**
     * Row-wise softmax: the last layer's activation, which the model's output head
     * ({@link SoftmaxCrossEntropy}) applies together with the cross-entropy loss.
     */
    SOFTMAX;

    /** {@return the lower-case name used in model files and on the command line} */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a name such as "sigmoid" (case-insensitive).
     *
     * @param s the name
     * @return the activation
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Activation parse(String s) {
        for (Activation a : values()) {
            if (a.id().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + s + "' (expected sigmoid, relu or softmax)");
    }
}

package io.github.panamamlp.nn;

import java.util.Locale;

/** The activation after a dense layer. {@link #SOFTMAX} is only allowed on the last layer. */
public enum Activation {
    SIGMOID, RELU, SOFTMAX;

    /** The lower-case name used in model files and on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a name such as "sigmoid" (case-insensitive).
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

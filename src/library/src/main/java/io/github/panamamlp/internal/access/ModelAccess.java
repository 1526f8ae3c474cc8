package io.github.panamamlp.internal.access;

import io.github.panamamlp.data.Standardization;

/**
 * What the library's training code may do with a model that its users may not. A model hands this out
 * through {@link Access#model(Object)} only: the package is not exported, so code outside the library can
 * neither name this type nor get one.
 */
public interface ModelAccess {
    /**
     * Marks the model as being trained, if nobody else is training it.
     *
     * @return false if the model is already being trained (by another trainer, or another thread)
     */
    boolean tryBeginTraining();

    /** Ends what {@link #tryBeginTraining()} began. */
    void endTraining();

    /** {@return the standardization the model applies to raw input rows, or null if it takes them as they are} */
    Standardization standardization();

    /**
     * Writes the model's standardization of {@code x} into {@code out} (which may be {@code x}); allocates
     * nothing. Only for a model whose {@link #standardization()} is not null.
     *
     * @param out the standardized rows
     * @param x   raw input rows, of the same shape
     */
    void standardize(io.github.panamamlp.tensor.Matrix out, io.github.panamamlp.tensor.Matrix x);

    /**
     * Checks that {@code data} may be given to the model: not null, not empty, of the model's width and at
     * most its classes, and with its class names if it has them.
     *
     * @param data the examples
     * @param what what they are for ("training", "test", "evaluation"), for the messages
     * @throws IllegalArgumentException if they may not
     * @throws IllegalStateException    if the model is closed
     */
    void checkFits(io.github.panamamlp.data.BatchSource data, String what);

    /** {@return how many of the model's parameters are NaN or infinite} */
    long nonFiniteParameters();
}

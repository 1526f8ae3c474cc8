package io.github.panamamlp.internal.access;

import io.github.panamamlp.data.Standardization;
import io.github.panamamlp.tensor.Matrix;

import java.lang.foreign.MemorySegment;

/**
 * What the library's training code may do with a model that its users may not. A model hands this out
 * through {@link Access#model(Object)} only: the package is not exported, so code outside the library can
 * neither name this type nor get one.
 */
public interface ModelAccess {
    /**
     * The model's forward pass of a labelled batch (layers, then the head): acts[0] is the input, acts[i+1]
     * receives layer i's output, probs the softmax of the logits.
     *
     * @param probs  n×classes output (may be the last of acts)
     * @param acts   the input and one matrix per layer output, sized as the model's activation widths
     * @param labels the rows' classes, from {@code offset} on
     * @param offset the index in {@code labels} of row 0's class
     * @return the sum over the rows of the cross-entropy
     */
    double forward(Matrix probs, Matrix[] acts, int[] labels, int offset);

    /**
     * The backward pass of the last forward pass: every parameter's gradient of the mean loss, into
     * {@link #gradients()}.
     *
     * @param dActs  one matrix per layer output, like acts (the first is not used)
     * @param acts   the activations of that forward pass
     * @param probs  its probabilities
     * @param labels the rows' classes, as given to the forward pass
     * @param offset the index in {@code labels} of row 0's class
     */
    void backward(Matrix[] dActs, Matrix[] acts, Matrix probs, int[] labels, int offset);

    /** {@return all parameters as one flat block (W1, b1, W2, b2, …): the model's own memory} */
    MemorySegment parameters();

    /** {@return the gradients of the last backward pass, laid out like {@link #parameters()}} */
    MemorySegment gradients();

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
    void standardize(Matrix out, Matrix x);

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

package io.github.panamamlp.nn;

import io.github.panamamlp.tensor.Matrix;

/**
 * One step of a sequential network: a forward/backward pair over a mini-batch of n rows.
 * Outputs come first in both signatures, as in llm.c.
 */
public interface Layer {
    /** {@return a short type name for summaries, e.g. "Dense"} */
    String type();

    /** {@return the width of the input rows} */
    int inputSize();

    /** {@return the width of the output rows} */
    int outputSize();

    /** {@return the number of trainable parameters held by this layer} */
    long parameterCount();

    /**
     * out = f(in).
     *
     * @param out n×outputSize
     * @param in  n×inputSize
     */
    void forward(Matrix out, Matrix in);

    /**
     * Given dOut = ∂L/∂out, writes ∂L/∂in into dIn (unless it is null, e.g. for the first layer) and the
     * gradients of this layer's parameters (overwritten, not accumulated).
     *
     * @param dIn  n×inputSize, or null when nobody needs it
     * @param dOut n×outputSize
     * @param in   n×inputSize, as given to forward
     * @param out  n×outputSize, as produced by forward
     */
    void backward(Matrix dIn, Matrix dOut, Matrix in, Matrix out);
}

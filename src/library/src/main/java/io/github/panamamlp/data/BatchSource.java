package io.github.panamamlp.data;

import io.github.panamamlp.tensor.Matrix;

/** Labelled examples that can be copied, a mini-batch at a time, into an off-heap matrix. */
public interface BatchSource {
    /** {@return the number of examples} */
    int count();

    /** {@return the features per example (columns of a batch)} */
    int features();

    /** {@return the number of classes; labels are in [0, classes)} */
    int classes();

    /**
     * Copies examples order[from..to) into the rows of x ((to−from)×features) and their labels into
     * y[0..to−from). Must not allocate: it runs every training step. The matrix has the model's element
     * type ({@link Matrix#dtype()}): write through {@link Matrix#setRow} or {@link Matrix#set}, which convert,
     * or check the type before writing into its segment.
     *
     * @param order example indices
     * @param from  the first position in {@code order} to copy
     * @param to    one past the last position
     * @param x     the batch, (to−from)×features
     * @param y     receives the labels, at least to−from long
     */
    void fillBatch(int[] order, int from, int to, Matrix x, int[] y);
}

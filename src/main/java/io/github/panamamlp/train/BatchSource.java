package io.github.panamamlp.train;

import io.github.panamamlp.tensor.Matrix;

/** Labelled examples that can be copied, a mini-batch at a time, into an off-heap matrix. */
public interface BatchSource {
    /** The number of examples. */
    int count();

    /** Features per example (columns of a batch). */
    int features();

    /** The number of classes; labels are in [0, classes). */
    int classes();

    /**
     * Copies examples order[from..to) into the rows of x ((to−from)×features) and their labels into
     * y[0..to−from). Must not allocate: it runs every training step.
     */
    void fillBatch(int[] order, int from, int to, Matrix x, int[] y);
}

package io.github.panamamlp.nn;

import io.github.panamamlp.tensor.Matrix;
import io.github.panamamlp.tensor.Ops;

/**
 * The output head: row-wise softmax of the logits and the mean cross-entropy against integer labels,
 * with the fused backward {@code dZ = (ŷ − t) / N}.
 */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    /**
     * probs = softmax(logits), and returns the <em>sum</em> over the n rows of −log ŷ[label]
     * (computed from the logits, so it stays finite when a probability underflows to 0).
     *
     * @param probs  n×c output (may be logits)
     * @param logits n×c
     * @param labels labels[offset..offset+n) in [0, c)
     * @param offset the index in {@code labels} of row 0's class
     * @return the sum of the n rows' cross-entropies
     */
    public static double forward(Matrix probs, Matrix logits, int[] labels, int offset) {
        // The loss reads the logits, so it must run before softmax overwrites them in place.
        double loss = Ops.crossEntropySumFromLogits(logits, labels, offset);
        Ops.softmaxRows(probs, logits);
        return loss;
    }

    /**
     * dLogits = (probs − onehot(labels)) / n, the gradient of the <em>mean</em> loss over the n rows.
     *
     * @param dLogits n×c output (may be probs)
     * @param probs   n×c from {@link #forward}
     * @param labels  labels[offset..offset+n) in [0, c)
     * @param offset  the index in {@code labels} of row 0's class
     */
    public static void backward(Matrix dLogits, Matrix probs, int[] labels, int offset) {
        Ops.softmaxCrossEntropyBackward(dLogits, probs, labels, offset, probs.rows());
    }
}

package io.github.panamamlp.nn;

import io.github.panamamlp.internal.ops.Ops;
import io.github.panamamlp.tensor.Matrix;

/**
 * The output head of a {@link Model}: the softmax activation of its last dense layer together with the
 * cross-entropy loss that matches it. The model owns one (see {@link Model#head()}), and training,
 * evaluation and prediction all turn logits into probabilities, losses and predicted classes through it.
 *
 * <p>A forward/backward pair like a {@link Layer}'s, outputs first: {@link #forward(Matrix, Matrix, int[], int)}
 * gives the probabilities and the summed loss of a labelled batch, {@link #backward} the fused gradient
 * {@code dZ = (ŷ − t) / N} of the mean loss. Holds no scratch memory, so one head serves any number of
 * threads at once.
 */
public final class SoftmaxCrossEntropy {
    private final int classes;

    /**
     * The head over rows of {@code classes} logits.
     *
     * @param classes the width of the logit and probability rows (the last dense layer's units), at least 1
     * @throws IllegalArgumentException if {@code classes < 1}
     */
    public SoftmaxCrossEntropy(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("a softmax head needs at least 1 class, got " + classes);
        }
        this.classes = classes;
    }

    /** {@return the width of the logit and probability rows} */
    public int classes() {
        return classes;
    }

    /**
     * probs = softmax(logits), and returns the <em>sum</em> over the n rows of −log ŷ[label], computed
     * from the logits as {@code logsumexp(z) − z[label]} (so it stays finite when a probability underflows
     * to 0). For training and evaluation.
     *
     * @param probs  n×classes output (may be logits: the loss is read before softmax overwrites them)
     * @param logits n×classes
     * @param labels labels[offset..offset+n), each in [0, classes)
     * @param offset the index in {@code labels} of row 0's class
     * @return the sum of the n rows' cross-entropies
     * @throws IllegalArgumentException if a shape does not match or a label is out of range
     */
    public double forward(Matrix probs, Matrix logits, int[] labels, int offset) {
        if (labels == null) {
            throw new IllegalArgumentException("softmax head forward: labels are null");
        }
        return forward(probs, logits, null, labels, offset);
    }

    /**
     * The forward with the last dense layer's bias fused in: logits holds X·W on entry and z = X·W + b on
     * return (unless probs is logits). Without labels (null) only the probabilities are computed.
     */
    double forward(Matrix probs, Matrix logits, Matrix bias, int[] labels, int offset) {
        checkWidth("forward", logits);
        if (labels == null) {
            Ops.softmaxCrossEntropy(probs, logits, bias, null, 0);
            return 0;
        }
        return Ops.softmaxCrossEntropy(probs, logits, bias, labels, offset);
    }

    /**
     * probs = softmax(logits), without labels or loss. For prediction; gives exactly the probabilities
     * of {@link #forward(Matrix, Matrix, int[], int)}.
     *
     * @param probs  n×classes output (may be logits)
     * @param logits n×classes
     * @throws IllegalArgumentException if a shape does not match
     */
    public void forward(Matrix probs, Matrix logits) {
        forward(probs, logits, null, null, 0);
    }

    /**
     * dLogits = (probs − onehot(labels)) / n, the gradient of the <em>mean</em> loss over the n rows.
     *
     * @param dLogits n×classes output (may be probs)
     * @param probs   n×classes, from {@link #forward(Matrix, Matrix, int[], int)}
     * @param labels  labels[offset..offset+n), each in [0, classes)
     * @param offset  the index in {@code labels} of row 0's class
     * @throws IllegalArgumentException if a shape does not match or a label is out of range
     */
    public void backward(Matrix dLogits, Matrix probs, int[] labels, int offset) {
        checkWidth("backward", probs);
        Ops.softmaxCrossEntropyBackward(dLogits, probs, labels, offset, probs.rows());
    }

    /** {@link #backward} fused with the last dense layer's bias gradient: biasGradient = column sums of dLogits. */
    void backward(Matrix dLogits, Matrix probs, int[] labels, int offset, Matrix biasGradient) {
        checkWidth("backward", probs);
        Ops.softmaxCrossEntropyBackwardColumnSums(dLogits, probs, labels, offset, probs.rows(), biasGradient);
    }

    /**
     * The predicted class of one row: the index of its largest probability (the first one on a tie).
     *
     * @param probs n×classes, from a forward
     * @param row   the row, in [0, n)
     * @return a class in [0, classes)
     * @throws IllegalArgumentException if probs is not n×classes or row is outside [0, n)
     */
    public int predictedClass(Matrix probs, int row) {
        checkWidth("predictedClass", probs);
        if (row < 0 || row >= probs.rows()) {
            throw new IllegalArgumentException("softmax head predictedClass: row " + row + " of " + probs.shape());
        }
        return Ops.argmaxRow(probs, row);
    }

    /**
     * How many rows' predicted class (as {@link #predictedClass}) is their label.
     *
     * @param probs  n×classes, from a forward
     * @param labels labels[offset..offset+n)
     * @param offset the index in {@code labels} of row 0's class
     * @return the number of correct predictions, in [0, n]
     * @throws IllegalArgumentException if probs is not n×classes or there are too few labels
     */
    public int countCorrect(Matrix probs, int[] labels, int offset) {
        checkWidth("countCorrect", probs);
        return Ops.countCorrect(probs, labels, offset);
    }

    private void checkWidth(String op, Matrix m) {
        if (m.cols() != classes) {
            throw new IllegalArgumentException("softmax head " + op + ": " + m.shape() + " but the head has " + classes + " classes");
        }
    }
}

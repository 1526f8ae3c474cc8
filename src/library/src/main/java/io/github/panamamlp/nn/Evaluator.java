package io.github.panamamlp.nn;

import io.github.panamamlp.data.BatchSource;
import io.github.panamamlp.internal.access.CheckedBatches;
import io.github.panamamlp.tensor.Matrix;

import java.lang.foreign.Arena;

/**
 * Computes a model's {@link Evaluation} on a {@link BatchSource}, in chunks, with scratch memory sized
 * once. Owns that memory; {@link #close()} frees it. Each chunk takes the same forward pass as a training
 * step, and the predicted classes are those of {@link Model#predictClass}. {@link Model#evaluate} makes
 * one for a single call; keep one to evaluate the same model again and again without allocating.
 *
 * <p>Each chunk's rows are checked as training checks them (a label outside the model's classes or a
 * non-finite value is an {@link IllegalArgumentException} naming the example's index in the data set) and
 * standardized when the model standardizes its input.
 *
 * <p>Not thread-safe: the scratch memory is reused by every call, so use one evaluator per thread (or
 * {@link Model#evaluate}, which makes its own).
 */
public final class Evaluator implements AutoCloseable {
    private final Model model;
    private final int chunk;
    private final Arena arena = Arena.ofShared();
    private final Matrix input;
    private final Matrix[] acts;
    private final int[] labels;
    private final int[] order;

    /**
     * An evaluator for {@code model}; allocates scratch memory for {@code chunk} rows.
     *
     * @param model the model to evaluate (not closed with the evaluator)
     * @param chunk rows evaluated per forward pass, at least 1
     * @throws IllegalArgumentException if {@code model} is null or {@code chunk < 1}
     * @throws IllegalStateException    if the model is closed
     */
    public Evaluator(Model model, int chunk) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be at least 1, got " + chunk);
        }
        model.checkOpen();
        this.model = model;
        this.chunk = chunk;
        int[] widths = model.activationWidths();
        input = Matrix.allocate(arena, chunk, model.inputSize(), model.dtype());
        acts = new Matrix[widths.length];
        for (int i = 1; i < widths.length; i++) {
            acts[i] = Matrix.allocate(arena, chunk, widths[i], model.dtype());
        }
        labels = new int[chunk];
        order = new int[chunk];
    }

    /**
     * Evaluates the model's current parameters on every example of {@code data}.
     *
     * @param data the examples, at least one
     * @return their mean loss, accuracy and confusion matrix
     * @throws IllegalArgumentException if the data is empty or does not fit the model, or an example has a
     *                                  label outside the model's classes or a non-finite value (naming its
     *                                  index in {@code data})
     * @throws IllegalStateException    if the model or this evaluator is closed
     */
    public Evaluation evaluate(BatchSource data) {
        model.checkFits(data, "evaluation");
        int c = model.outputSize();
        BatchSource checked = CheckedBatches.of(data, c, model.standardization().orElse(null));
        SoftmaxCrossEntropy head = model.head();
        long[][] confusion = new long[c][c];
        double lossSum = 0;
        long correct = 0;
        int n = data.count();
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk);
            int rows = to - from;
            for (int i = 0; i < rows; i++) {
                order[i] = from + i;
            }
            Matrix x = rows == chunk ? input : input.rowView(0, rows);
            checked.fillBatch(order, 0, rows, x, labels);
            Matrix[] a = rows == chunk ? acts : views(rows);
            a[0] = x;
            Matrix probs = a[a.length - 1]; // softmax in place of the logits: nothing reads them afterwards
            lossSum += model.forward(probs, a, labels, 0);
            for (int i = 0; i < rows; i++) {
                int predicted = head.predictedClass(probs, i);
                confusion[labels[i]][predicted]++;
                if (predicted == labels[i]) {
                    correct++;
                }
            }
        }
        return new Evaluation(lossSum / n, (double) correct / n, n, confusion);
    }

    private Matrix[] views(int rows) {
        Matrix[] v = new Matrix[acts.length];
        for (int i = 1; i < acts.length; i++) {
            v[i] = acts[i].rowView(0, rows);
        }
        return v;
    }

    /** Frees the scratch memory. */
    @Override
    public void close() {
        arena.close();
    }
}

package io.github.panamamlp.train;

import io.github.panamamlp.data.BatchSource;
import io.github.panamamlp.internal.Permutation;
import io.github.panamamlp.internal.access.Access;
import io.github.panamamlp.internal.access.CheckedBatches;
import io.github.panamamlp.internal.access.ModelAccess;
import io.github.panamamlp.nn.Evaluation;
import io.github.panamamlp.nn.Evaluator;
import io.github.panamamlp.nn.Model;
import io.github.panamamlp.tensor.Matrix;

import java.lang.foreign.Arena;

/**
 * Trains a {@link Model} one mini-batch at a time with an {@link Optimizer}.
 *
 * <p>A step is forward, loss, backward, update. Scratch matrices are sized once per batch size (a
 * full batch and a shorter last one) and reused, so once warmed up a step allocates neither heap
 * arrays nor off-heap memory. The trainer owns that scratch memory and the optimizer's state;
 * {@link #close()} frees them (the model stays open).
 *
 * <p>Not thread-safe: a trainer and its model belong to one thread while training (the scratch
 * matrices, the optimizer state and the parameters are written in place without locking). Use one
 * trainer per model, train from one thread, and only then share the model for predictions (see
 * {@link Model}). Training one model from two threads at once (two {@link #fit} calls, through one trainer
 * or two) is detected and refused with an {@link IllegalStateException}.
 *
 * <p>What is checked, so that bad data fails at once with its place named instead of spoiling the model:
 * empty training or test data, and data of the wrong width, are refused before the first step; a label
 * outside the model's classes, or a NaN or infinite value, is an {@link IllegalArgumentException} naming
 * the example's index in the data set. If the loss still becomes NaN or infinite, the input was finite, so
 * the parameters diverged: the {@link ArithmeticException} says so, and how many are no longer finite.
 *
 * <p>Reproducibility: with the same model seed, data, batch size, fit seed, optimizer, BLAS
 * implementation and OpenBLAS thread count, training gives bit-identical parameters on the same
 * machine and OpenBLAS build. Another OpenBLAS thread count, CPU kernel or OpenBLAS version may change
 * the last bits of some matrix products, and those differences grow over training.
 */
public final class Trainer implements AutoCloseable {
    private static final int MAX_WORKSPACES = 4;
    /** Rows per forward pass when evaluating; bounds the scratch memory: 1000 × (784 + 50 + 50 + 10) doubles for 784 → 50 → 10. */
    private static final int EVALUATION_CHUNK = 1000;

    private final Model model;
    private final Optimizer optimizer;
    private final Arena arena = Arena.ofShared();
    private final Optimizer.Updater updater;
    private final Workspace[] workspaces = new Workspace[MAX_WORKSPACES];
    /** The one result every step returns (see {@link StepResult} for why it is reused). */
    private final StepResult result = new StepResult();
    private boolean closed;
    /** The model's internals: its training flag and standardization. */
    private final ModelAccess access;
    /** True while {@link #fit} runs: its steps were checked (model flag, batch values) as their batches were made. */
    private boolean fitting;
    private long stepNanos;
    private long updateNanos;
    private long assemblyNanos;

    /** Called during {@link #fit}; every method has an empty default. */
    public interface Listener {
        /**
         * Before the first batch of an epoch.
         *
         * @param epoch   the epoch, counted from 1
         * @param batches the number of batches in it
         */
        default void onEpochStart(int epoch, int batches) {
        }

        /**
         * After each batch.
         *
         * @param epoch       the epoch, counted from 1
         * @param batchesDone batches done so far in this epoch
         * @param batches     the number of batches in the epoch
         * @param meanLoss    the mean training loss of the epoch so far
         */
        default void onBatch(int epoch, int batchesDone, int batches, double meanLoss) {
        }

        /**
         * After an epoch and its evaluation.
         *
         * @param epoch what was recorded for it
         */
        default void onEpochEnd(History.Epoch epoch) {
        }
    }

    /**
     * Where training time went since the trainer was made, in nanoseconds.
     *
     * @param batchAssembly   copying examples into batches in {@link #fit}
     * @param forwardBackward forward pass, loss and backward pass of every step
     * @param update          the optimizer's updates
     */
    public record Timings(long batchAssembly, long forwardBackward, long update) {
    }

    /**
     * A trainer for {@code model}; allocates the optimizer's state (off-heap, freed by {@link #close()}).
     *
     * @param model     the model to train; it stays owned by the caller and is not closed with the trainer
     * @param optimizer the update rule, e.g. {@code new Adam(0.001)}
     * @throws IllegalArgumentException if {@code model} or {@code optimizer} is null
     * @throws IllegalStateException    if the model is closed
     */
    public Trainer(Model model, Optimizer optimizer) {
        if (model == null || optimizer == null) {
            throw new IllegalArgumentException((model == null ? "model" : "optimizer") + " must not be null");
        }
        if (model.isClosed()) {
            throw new IllegalStateException("the model is closed: a trainer needs an open model");
        }
        this.access = Access.model(model);
        this.model = model;
        this.optimizer = optimizer;
        this.updater = optimizer.newUpdater(arena, model.parameterCount(), model.dtype());
    }

    /** {@return the model this trainer trains} */
    public Model model() {
        return model;
    }

    /** {@return the update rule} */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** {@return the number of updates applied so far} */
    public long steps() {
        return updater.steps();
    }

    /**
     * One training step on the batch x (n×inputs) with labels[offset..offset+n): the model's forward
     * pass, its backward pass from the labels, and the optimizer's update.
     *
     * @param x      the batch, one example per row, of either element type (one that differs from the
     *               model's is converted into the trainer's own copy)
     * @param labels the classes of the examples, from {@code offset} on
     * @param offset the index in {@code labels} of the first row's class
     * @return the batch's mean loss and correct count before the update, in this trainer's one
     *         {@link StepResult}, which the next step overwrites
     * @throws IllegalArgumentException if x does not fit the model, a value of x is NaN or infinite (naming
     *                                  its row), or a label is out of range
     * @throws IllegalStateException    if the model is being trained by another thread, or is closed
     * @throws ArithmeticException      if the loss is NaN or infinite (the update is not applied)
     */
    public StepResult step(Matrix x, int[] labels, int offset) {
        return fitting ? stepChecked(x, labels, offset) : stepAlone(x, labels, offset);
    }

    /** {@link #step} once the model is marked as training and x is known to be finite and standardized. */
    private StepResult stepChecked(Matrix x, int[] labels, int offset) {
        long t0 = System.nanoTime();
        Workspace ws = workspace(x);
        double loss = forward(ws, x, labels, offset) / x.rows();
        if (!Double.isFinite(loss)) {
            throw diverged(loss);
        }
        int correct = model.head().countCorrect(ws.probs, labels, offset);
        access.backward(ws.grads, ws.acts, ws.probs, labels, offset);
        long t1 = System.nanoTime();
        updater.update(access.parameters(), access.gradients());
        long t2 = System.nanoTime();
        updateNanos += t2 - t1;
        stepNanos += t2 - t0;
        return result.set(loss, correct);
    }

    /**
     * What a {@link #step} computed on its batch, before its update: the mean loss and how many examples
     * the model classified correctly.
     *
     * <p>Each trainer has one, which every step overwrites and returns: read it before the next step
     * (copy the two numbers out to keep them), and do not hold on to it as a value.
     */
    public static final class StepResult {
        /*
         * Why one mutable object and not a new record per step: a warmed-up step must not allocate, and a record
         * returned by step() is allocated. Measured with SteadyStateAllocationTest (JDK 25, C2, all three setups):
         * 4,800 bytes in every window of 200 steps, 24 bytes a step, against 0 with this object. Escape analysis
         * could only drop the record where step() is inlined into its caller; the measurement shows it does not.
         * Packing both numbers into one long is no way out either: the loss takes all 64 bits of a double.
         */
        private double loss;
        private int correct;

        private StepResult() {
        }

        private StepResult set(double loss, int correct) {
            this.loss = loss;
            this.correct = correct;
            return this;
        }

        /** {@return the mean cross-entropy of the batch} */
        public double loss() {
            return loss;
        }

        /** {@return how many of the batch's examples had their label as the predicted (most probable) class} */
        public int correct() {
            return correct;
        }

        @Override
        public String toString() {
            return "StepResult[loss=" + loss + ", correct=" + correct + "]";
        }
    }

    /**
     * A step called on its own (not from {@link #fit}): marks the model as training for its duration,
     * checks every value of x, and standardizes a copy of x when the model standardizes its input (x is
     * the caller's). Allocates nothing once the batch size has been seen.
     */
    private StepResult stepAlone(Matrix x, int[] labels, int offset) {
        checkOpen();
        beginTraining();
        try {
            CheckedBatches.requireFinite(x, "step: row");
            Matrix in = x;
            if (access.standardization() != null) {
                in = workspace(x).input(x);
                access.standardize(in, x);
            } else if (x.dtype() != model.dtype()) {
                // A batch of the other element type is converted into the trainer's copy, as predict does.
                in = workspace(x).input(x).copyFrom(x);
            }
            return stepChecked(in, labels, offset);
        } finally {
            access.endTraining();
        }
    }

    private void beginTraining() {
        if (!access.tryBeginTraining()) {
            throw new IllegalStateException("the model is already being trained (by another trainer or thread):"
                    + " one model is trained by one thread at a time");
        }
    }

    /**
     * Why the loss became NaN or infinite. The input is known to be finite here (every batch is checked
     * before its step), so either the parameters are no longer finite or the forward pass overflowed.
     */
    private ArithmeticException diverged(double loss) {
        long bad = access.nonFiniteParameters();
        long steps = updater.steps();
        String why;
        if (steps == 0) {
            // No update has run yet, so the learning rate cannot be the cause: the starting point is.
            why = bad > 0
                    ? bad + " of the model's " + model.parameterCount() + " parameters are NaN or infinite before any"
                            + " update: the initial parameters are at fault, not the learning rate"
                    : "on the first batch, before any update, the forward pass overflowed with finite parameters and"
                            + " inputs: the initial weights or the input values are too large (use a smaller"
                            + " initialization, such as Glorot or normal:0.01, or standardize the input; the learning"
                            + " rate has not been used yet)";
        } else {
            why = bad > 0
                    ? bad + " of the model's " + model.parameterCount() + " parameters are NaN or infinite: the"
                            + " parameters diverged (the input values are all finite; try a smaller learning rate)"
                    : "every parameter and every input value is finite, but the forward pass overflowed: the weights or"
                            + " the input values are too large (try a smaller learning rate, or standardize the input)";
        }
        return new ArithmeticException("training diverged: the batch loss is " + loss + " after " + steps
                + " updates; " + why);
    }

    /**
     * Trains for {@code epochs} passes over {@code train} in mini-batches of {@code batchSize} (the last
     * one shorter if needed), shuffled each epoch from {@code seed}, and evaluates on {@code test} after
     * each epoch. The same seed (and BLAS thread count) gives bit-identical results.
     *
     * @param train     the training examples
     * @param test      examples evaluated after each epoch, or null for none
     * @param epochs    passes over {@code train}, at least 1
     * @param batchSize examples per step, at least 1
     * @param seed      the seed of each epoch's order
     * @param listener  told about epochs and batches (for progress output), or null
     * @return the loss and accuracy of every epoch
     * @throws IllegalArgumentException if the data is empty or does not fit the model, a count is below 1,
     *                                  or an example has a label outside the classes or a non-finite value
     *                                  (naming its index in its data set)
     * @throws IllegalStateException    if the model is already being trained (another {@code fit} on it, in
     *                                  another thread), or the trainer or the model is closed
     * @throws ArithmeticException      if the loss becomes NaN or infinite (the parameters diverged)
     */
    public History fit(BatchSource train, BatchSource test, int epochs, int batchSize, long seed, Listener listener) {
        checkOpen();
        access.checkFits(train, "training");
        if (test != null) {
            access.checkFits(test, "test");
        }
        beginTraining();
        try {
            fitting = true;
            return fitChecked(CheckedBatches.of(train, model.outputSize(), access.standardization()), test, epochs,
                    batchSize, seed, listener);
        } finally {
            fitting = false;
            access.endTraining();
        }
    }

    /** {@link #fit} once the model is marked as training and the training batches are checked as they are made. */
    private History fitChecked(BatchSource train, BatchSource test, int epochs, int batchSize, long seed, Listener listener) {
        if (epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("epochs and batch size must be at least 1, got " + epochs + " and " + batchSize);
        }
        if (train.features() != model.inputSize() || (test != null && test.features() != model.inputSize())) {
            throw new IllegalArgumentException("the data has " + train.features() + " features but the model takes " + model.inputSize());
        }
        if (train.classes() > model.outputSize()) {
            throw new IllegalArgumentException("the data has " + train.classes() + " classes but the model predicts " + model.outputSize());
        }
        Listener l = listener == null ? new Listener() { } : listener;
        int n = train.count();
        int batches = (n + batchSize - 1) / batchSize;
        int full = Math.min(batchSize, n);
        Matrix x = Matrix.allocate(arena, full, train.features(), model.dtype());
        Matrix lastX = n % full == 0 ? x : x.rowView(0, n % full);
        int[] y = new int[full];
        int[] order = new int[n];
        History history = new History();
        try (Evaluator evaluator = test == null ? null : new Evaluator(model, evaluationChunk(test))) {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                long start = System.nanoTime();
                Permutation.fillForEpoch(order, seed, epoch);
                l.onEpochStart(epoch, batches);
                double lossSum = 0;
                long correct = 0;
                for (int b = 0; b < batches; b++) {
                    int from = b * full;
                    int to = Math.min(n, from + full);
                    Matrix xb = to - from == full ? x : lastX;
                    long t0 = System.nanoTime();
                    train.fillBatch(order, from, to, xb, y);
                    assemblyNanos += System.nanoTime() - t0;
                    StepResult r = step(xb, y, 0);
                    lossSum += r.loss() * (to - from);
                    correct += r.correct();
                    l.onBatch(epoch, b + 1, batches, lossSum / to);
                }
                Evaluation ev = evaluator == null ? null : evaluator.evaluate(test);
                History.Epoch e = new History.Epoch(epoch, lossSum / n, (double) correct / n,
                        ev == null ? Double.NaN : ev.loss(), ev == null ? Double.NaN : ev.accuracy(),
                        (System.nanoTime() - start) / 1e9);
                history.add(e);
                l.onEpochEnd(e);
            }
        }
        return history;
    }

    /**
     * Trains like {@link #fit(BatchSource, BatchSource, int, int, long, Listener)}, without a listener.
     *
     * @param train     the training examples
     * @param test      examples evaluated after each epoch, or null for none
     * @param epochs    passes over {@code train}, at least 1
     * @param batchSize examples per step, at least 1
     * @param seed      the seed of each epoch's order
     * @return the loss and accuracy of every epoch
     * @throws IllegalArgumentException if the data does not fit the model or a count is below 1
     * @throws ArithmeticException      if the loss becomes NaN or infinite
     */
    public History fit(BatchSource train, BatchSource test, int epochs, int batchSize, long seed) {
        return fit(train, test, epochs, batchSize, seed, null);
    }

    /**
     * The model's loss, accuracy and confusion matrix on {@code data} under the current parameters (no
     * training): {@link Model#evaluate}. Scratch memory is allocated for the call and freed before it returns.
     *
     * @param data the examples to evaluate, at least one
     * @return the evaluation
     * @throws IllegalArgumentException if the data is empty or does not fit the model
     * @throws IllegalStateException    if the trainer or the model is closed
     */
    public Evaluation evaluate(BatchSource data) {
        checkOpen();
        return model.evaluate(data);
    }

    /** {@return where the time of all steps and {@link #fit} batch assembly went so far} */
    public Timings timings() {
        return new Timings(assemblyNanos, stepNanos - updateNanos, updateNanos);
    }

    /** Rows per evaluation pass: no more than the data has, so a small test set needs little scratch memory. */
    private static int evaluationChunk(BatchSource data) {
        return Math.max(1, Math.min(EVALUATION_CHUNK, data.count()));
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("trainer is closed");
        }
    }

    /** The scratch matrices for a batch of x's rows, after checking x. */
    private Workspace workspace(Matrix x) {
        checkOpen();
        if (x.cols() != model.inputSize()) {
            throw new IllegalArgumentException("step: batch is " + x.shape() + " but the model takes " + model.inputSize() + " features");
        }
        if (x.rows() == 0) {
            throw new IllegalArgumentException("step: empty batch");
        }
        return workspace(x.rows());
    }

    /** The model's forward pass of x (n×inputs) into ws: probabilities in ws.probs; returns the summed loss. */
    private double forward(Workspace ws, Matrix x, int[] labels, int offset) {
        ws.acts[0] = x;
        return access.forward(ws.probs, ws.acts, labels, offset);
    }

    /**
     * Forward and backward without the update: leaves ∂(mean loss)/∂θ in the model's gradients. For the
     * gradient check (a test in this package), not API.
     *
     * @param x      the batch, one example per row
     * @param labels the classes of the examples, from {@code offset} on
     * @param offset the index in {@code labels} of the first row's class
     * @return the mean loss of the batch
     */
    double computeGradients(Matrix x, int[] labels, int offset) {
        Workspace ws = workspace(x);
        double lossSum = forward(ws, x, labels, offset);
        access.backward(ws.grads, ws.acts, ws.probs, labels, offset);
        return lossSum / x.rows();
    }

    /**
     * The mean loss of a batch under the current parameters, without backward or update.
     *
     * @param x      the batch, one example per row
     * @param labels the classes of the examples, from {@code offset} on
     * @param offset the index in {@code labels} of the first row's class
     * @return the mean cross-entropy
     */
    public double loss(Matrix x, int[] labels, int offset) {
        return forward(workspace(x), x, labels, offset) / x.rows();
    }

    private Workspace workspace(int n) {
        for (Workspace w : workspaces) {
            if (w != null && w.n == n) {
                return w;
            }
        }
        // A new batch size: reuse a free slot, else drop the oldest (its memory stays in the arena
        // until close, which bounds waste to a handful of batch shapes).
        for (int i = 0; i < workspaces.length; i++) {
            if (workspaces[i] == null) {
                return workspaces[i] = new Workspace(model, arena, n);
            }
        }
        System.arraycopy(workspaces, 1, workspaces, 0, workspaces.length - 1);
        return workspaces[workspaces.length - 1] = new Workspace(model, arena, n);
    }

    /** Frees the scratch memory and the optimizer state; later steps throw. Closing twice is harmless. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }
}

package io.github.panamamlp.train;

import io.github.panamamlp.nn.Model;
import io.github.panamamlp.nn.SoftmaxCrossEntropy;
import io.github.panamamlp.tensor.Matrix;

import java.lang.foreign.Arena;

/**
 * Trains a {@link Model} one mini-batch at a time with an {@link Optimizer}.
 *
 * <p>A step is forward, loss, backward, update. Scratch matrices are sized once per batch size (a
 * full batch and a shorter last one) and reused, so once warmed up a step allocates neither heap
 * arrays nor off-heap memory. The trainer owns that scratch memory and the optimizer's state;
 * {@link #close()} frees them (the model stays open).
 */
public final class Trainer implements AutoCloseable {
    private static final int MAX_WORKSPACES = 4;

    private final Model model;
    private final Optimizer optimizer;
    private final Arena arena = Arena.ofShared();
    private final Optimizer.Updater updater;
    private final Workspace[] workspaces = new Workspace[MAX_WORKSPACES];
    private int lastCorrect;
    private boolean closed;

    public Trainer(Model model, Optimizer optimizer) {
        this.model = model;
        this.optimizer = optimizer;
        this.updater = optimizer.newUpdater(arena, model.parameterCount());
    }

    public Model model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** Updates applied so far. */
    public long steps() {
        return updater.steps();
    }

    /**
     * One training step on the batch x (n×inputs) with labels[offset..offset+n).
     *
     * @return the mean cross-entropy of the batch before the update
     * @throws ArithmeticException if the loss is NaN or infinite (the update is not applied)
     */
    public double step(Matrix x, int[] labels, int offset) {
        Workspace ws = forward(x, labels, offset);
        double loss = ws.lossSum / x.rows();
        if (!Double.isFinite(loss)) {
            throw new ArithmeticException("training diverged: the batch loss is " + loss
                    + " after " + updater.steps() + " updates (try a smaller learning rate)");
        }
        backwardAndUpdate(ws, labels, offset);
        return loss;
    }

    /** Correct argmax predictions in the last step's batch (made before its update). */
    public int lastCorrect() {
        return lastCorrect;
    }

    private Workspace forward(Matrix x, int[] labels, int offset) {
        if (closed) {
            throw new IllegalStateException("trainer is closed");
        }
        if (x.cols() != model.inputSize()) {
            throw new IllegalArgumentException("step: batch is " + x.shape() + " but the model takes " + model.inputSize() + " features");
        }
        if (x.rows() == 0) {
            throw new IllegalArgumentException("step: empty batch");
        }
        Workspace ws = workspace(x.rows());
        ws.acts[0] = x;
        model.forward(ws.acts);
        Matrix logits = ws.acts[ws.acts.length - 1];
        ws.lossSum = SoftmaxCrossEntropy.forward(ws.probs, logits, labels, offset);
        lastCorrect = io.github.panamamlp.tensor.Ops.countCorrect(ws.probs, labels, offset);
        return ws;
    }

    private void backwardAndUpdate(Workspace ws, int[] labels, int offset) {
        SoftmaxCrossEntropy.backward(ws.grads[ws.grads.length - 1], ws.probs, labels, offset);
        model.backward(ws.grads, ws.acts);
        updater.update(model.parameters(), model.gradients());
    }

    /**
     * Forward and backward without the update: leaves ∂(mean loss)/∂θ in {@link Model#gradients()}.
     *
     * @return the mean loss of the batch
     */
    public double computeGradients(Matrix x, int[] labels, int offset) {
        Workspace ws = forward(x, labels, offset);
        SoftmaxCrossEntropy.backward(ws.grads[ws.grads.length - 1], ws.probs, labels, offset);
        model.backward(ws.grads, ws.acts);
        return ws.lossSum / x.rows();
    }

    /** The mean loss of a batch under the current parameters, without backward or update. */
    public double loss(Matrix x, int[] labels, int offset) {
        return forward(x, labels, offset).lossSum / x.rows();
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

    /** Frees the scratch memory and the optimizer state. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }
}

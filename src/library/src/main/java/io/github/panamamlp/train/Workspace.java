package io.github.panamamlp.train;

import io.github.panamamlp.nn.Model;
import io.github.panamamlp.tensor.DType;
import io.github.panamamlp.tensor.Matrix;

import java.lang.foreign.Arena;

/** Scratch matrices for one batch size: activations, their gradients, and the probabilities. */
final class Workspace {
    final int n;
    /** acts[0] is the input (set per step, not owned); acts[i+1] is layer i's output. */
    final Matrix[] acts;
    /** grads[i] = ∂L/∂acts[i]; grads[0] is never computed. */
    final Matrix[] grads;
    /** The head's softmax of the logits acts[L]. */
    final Matrix probs;
    private final Arena arena;
    private final DType dtype;
    /** The standardized copy of a batch the caller owns, made on first use. */
    private Matrix input;

    Workspace(Model model, Arena arena, int n) {
        this.n = n;
        this.dtype = model.dtype();
        this.arena = arena;
        int[] widths = model.activationWidths();
        acts = new Matrix[widths.length];
        grads = new Matrix[widths.length];
        for (int i = 0; i + 1 < widths.length; i++) {
            int w = widths[i + 1];
            acts[i + 1] = Matrix.allocate(arena, n, w, model.dtype());
            grads[i + 1] = Matrix.allocate(arena, n, w, model.dtype());
        }
        probs = Matrix.allocate(arena, n, model.outputSize(), model.dtype());
    }

    /** A matrix shaped like {@code x} (n rows) for a standardized copy of it, allocated on first use. */
    Matrix input(Matrix x) {
        if (input == null) {
            input = Matrix.allocate(arena, n, x.cols(), dtype);
        }
        return input;
    }
}

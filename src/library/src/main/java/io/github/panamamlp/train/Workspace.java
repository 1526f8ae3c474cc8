package io.github.panamamlp.train;

import io.github.panamamlp.nn.Model;
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

    Workspace(Model model, Arena arena, int n) {
        this.n = n;
        int[] widths = model.activationWidths();
        acts = new Matrix[widths.length];
        grads = new Matrix[widths.length];
        for (int i = 0; i + 1 < widths.length; i++) {
            int w = widths[i + 1];
            acts[i + 1] = Matrix.allocate(arena, n, w);
            grads[i + 1] = Matrix.allocate(arena, n, w);
        }
        probs = Matrix.allocate(arena, n, model.outputSize());
    }
}

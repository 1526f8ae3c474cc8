package io.github.panamamlp.nn;

import io.github.panamamlp.internal.ops.Ops;
import io.github.panamamlp.tensor.Matrix;

/** y = max(x, 0); backward passes dy where y > 0. No parameters. */
public final class ReLU extends ElementwiseLayer {

    /**
     * The activation over rows of {@code size} values.
     *
     * @param size the width of the input and output rows
     */
    public ReLU(int size) {
        super(size);
    }

    @Override
    public String type() {
        return "ReLU";
    }

    /** out, in: n×size. */
    @Override
    public void forward(Matrix out, Matrix in) {
        Ops.relu(out, in);
    }

    /** dIn, dOut, out: n×size. */
    @Override
    public void backward(Matrix dIn, Matrix dOut, Matrix in, Matrix out) {
        if (dIn != null) {
            Ops.reluBackward(dIn, dOut, out);
        }
    }

    @Override
    void forwardWithBias(Matrix z, Matrix bias) {
        Ops.biasRelu(z, bias);
    }

    @Override
    void backwardWithColumnSums(Matrix dz, Matrix dy, Matrix y, Matrix sums) {
        Ops.reluBackwardColumnSums(dz, dy, y, sums);
    }
}

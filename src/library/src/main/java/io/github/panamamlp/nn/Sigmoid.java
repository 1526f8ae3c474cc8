package io.github.panamamlp.nn;

import io.github.panamamlp.internal.ops.Ops;
import io.github.panamamlp.tensor.Matrix;

/** y = 1 / (1 + e^(−x)); backward dx = dy·y·(1 − y). No parameters. */
public final class Sigmoid extends ElementwiseLayer {

    /**
     * The activation over rows of {@code size} values.
     *
     * @param size the width of the input and output rows
     */
    public Sigmoid(int size) {
        super(size);
    }

    @Override
    public String type() {
        return "Sigmoid";
    }

    /** out, in: n×size. */
    @Override
    public void forward(Matrix out, Matrix in) {
        Ops.sigmoid(out, in);
    }

    /** dIn, dOut, out: n×size. */
    @Override
    public void backward(Matrix dIn, Matrix dOut, Matrix in, Matrix out) {
        if (dIn != null) {
            Ops.sigmoidBackward(dIn, dOut, out);
        }
    }

    @Override
    void forwardWithBias(Matrix z, Matrix bias) {
        Ops.biasSigmoid(z, bias);
    }

    @Override
    void backwardWithColumnSums(Matrix dz, Matrix dy, Matrix y, Matrix sums) {
        Ops.sigmoidBackwardColumnSums(dz, dy, y, sums);
    }
}

package io.github.panamamlp.nn;

import io.github.panamamlp.tensor.Matrix;

/**
 * What every parameter-free, element-wise activation layer shares: the same width in and out, and no
 * parameters. Subclasses give the forward/backward pair.
 */
abstract sealed class ElementwiseLayer implements Layer permits Sigmoid, ReLU {
    private final int size;

    ElementwiseLayer(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("an activation needs a width of at least 1, got " + size);
        }
        this.size = size;
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public int outputSize() {
        return size;
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    /** The forward pass fused with the bias of the dense layer before it: z = f(z + b), in place. */
    abstract void forwardWithBias(Matrix z, Matrix bias);

    /** The backward pass fused with that dense layer's bias gradient: dz = dy·f′, sums = column sums of dz. */
    abstract void backwardWithColumnSums(Matrix dz, Matrix dy, Matrix y, Matrix sums);
}

package io.github.panamamlp.nn;

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
}

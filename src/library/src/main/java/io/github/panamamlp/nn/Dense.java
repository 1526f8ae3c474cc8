package io.github.panamamlp.nn;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.internal.ops.Ops;
import io.github.panamamlp.tensor.Matrix;

/**
 * The affine layer {@code Y = X·W + b}: W is inputs×outputs, b is 1×outputs.
 * Its parameters and gradients are views into the model's flat parameter and gradient memory, so an
 * optimizer updates all layers in one pass.
 */
public final class Dense implements Layer {
    private final Blas blas;
    private final Matrix w;
    private final Matrix b;
    private final Matrix dw;
    private final Matrix db;

    /** A layer over existing parameter and gradient storage (shapes in×out and 1×out). */
    Dense(Blas blas, Matrix w, Matrix b, Matrix dw, Matrix db) {
        if (b.rows() != 1 || b.cols() != w.cols() || dw.rows() != w.rows() || dw.cols() != w.cols()
                || db.rows() != 1 || db.cols() != w.cols()) {
            throw new IllegalArgumentException("Dense: inconsistent shapes W " + w.shape() + ", b " + b.shape()
                    + ", dW " + dw.shape() + ", db " + db.shape());
        }
        this.blas = blas;
        this.w = w;
        this.b = b;
        this.dw = dw;
        this.db = db;
    }

    @Override
    public String type() {
        return "Dense";
    }

    @Override
    public int inputSize() {
        return w.rows();
    }

    @Override
    public int outputSize() {
        return w.cols();
    }

    @Override
    public long parameterCount() {
        return (long) w.rows() * w.cols() + w.cols();
    }

    /** {@return the weights, inputs×outputs (a view into the model's parameters)} */
    public Matrix weights() {
        return w;
    }

    /** {@return the bias, 1×outputs (a view into the model's parameters)} */
    public Matrix bias() {
        return b;
    }

    /** {@return ∂L/∂W from the last backward pass, inputs×outputs} */
    public Matrix weightGradient() {
        return dw;
    }

    /** {@return ∂L/∂b from the last backward pass, 1×outputs} */
    public Matrix biasGradient() {
        return db;
    }

    /**
     * out (n×out) = in (n×in) · W (in×out) + b: GEMM writes X·W, then the bias is added to every row (the
     * order {@link Model}'s forward pass uses, where the addition is fused with the activation after it).
     */
    @Override
    public void forward(Matrix out, Matrix in) {
        product(out, in);
        Ops.addBias(out, b);
    }

    /** dW = inᵀ·dOut, db = column sums of dOut, dIn = dOut·Wᵀ (skipped when dIn is null). */
    @Override
    public void backward(Matrix dIn, Matrix dOut, Matrix in, Matrix out) {
        Ops.columnSums(db, dOut);
        products(dIn, dOut, in);
    }

    /** out = in · W, without the bias (β = 0: out is only written). */
    void product(Matrix out, Matrix in) {
        blas.gemm(1.0, in, false, w, false, 0.0, out);
    }

    /** The backward pass's products: dW = inᵀ·dOut and, unless dIn is null, dIn = dOut·Wᵀ. The bias gradient is left to the caller. */
    void products(Matrix dIn, Matrix dOut, Matrix in) {
        blas.gemm(1.0, in, true, dOut, false, 0.0, dw);
        if (dIn != null) {
            blas.gemm(1.0, dOut, false, w, true, 0.0, dIn);
        }
    }
}

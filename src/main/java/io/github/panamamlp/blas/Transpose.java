package io.github.panamamlp.blas;

/** Whether a GEMM operand is used as stored or transposed. */
public enum Transpose {
    /** op(X) = X */
    NO,
    /** op(X) = Xᵀ */
    YES;

    /** {@code YES} when {@code transposed}. */
    public static Transpose of(boolean transposed) {
        return transposed ? YES : NO;
    }
}

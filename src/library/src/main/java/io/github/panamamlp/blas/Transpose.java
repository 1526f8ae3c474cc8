package io.github.panamamlp.blas;

/** Whether a GEMM operand is used as stored or transposed. */
public enum Transpose {
    /** op(X) = X */
    NO,
    /** op(X) = Xᵀ */
    YES;

    /**
     * The constant for a flag.
     *
     * @param transposed whether the operand is transposed
     * @return {@code YES} when {@code transposed}, else {@code NO}
     */
    public static Transpose of(boolean transposed) {
        return transposed ? YES : NO;
    }
}

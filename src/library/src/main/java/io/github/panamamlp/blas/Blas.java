package io.github.panamamlp.blas;

import io.github.panamamlp.tensor.DType;
import io.github.panamamlp.tensor.Matrix;

import java.lang.foreign.MemorySegment;

/**
 * Matrix products on row-major off-heap memory, in double ({@code dgemm}) and single ({@code sgemm})
 * precision.
 *
 * <p>One interface, several implementations ({@link #openBlas()} through FFM, {@link #java()} in plain
 * loops); all arguments are checked in one place, {@link BlasChecks}, before any implementation runs, so
 * no argument can make native code touch memory outside the segments it was given.
 */
public interface Blas {

    /**
     * The OpenBLAS implementation; loads the library on first use. Several threads may call it at once:
     * that relies on OpenBLAS's own thread safety, which the test suite checks for the installed version.
     *
     * @return the implementation through FFM and OpenBLAS's {@code cblas_dgemm}
     */
    static Blas openBlas() {
        return NativeBlas.INSTANCE;
    }

    /**
     * The pure-Java implementation (plain loops, slow, for checking and for machines without OpenBLAS).
     *
     * @return the implementation in plain Java
     */
    static Blas java() {
        return JavaBlas.INSTANCE;
    }

    /** {@return a short name for reports} */
    String name();

    /**
     * {@code C = alpha·op(A)·op(B) + beta·C}, row-major, like {@code cblas_dgemm(CblasRowMajor, …)}.
     * Offsets and leading dimensions are counted in doubles. op(A) is m×k, op(B) is k×n, C is m×n.
     * When {@code beta == 0}, C is not read (NaNs in it do not propagate).
     *
     * @param transA  whether A is used transposed
     * @param transB  whether B is used transposed
     * @param m       rows of op(A) and C
     * @param n       columns of op(B) and C
     * @param k       columns of op(A), rows of op(B)
     * @param alpha   the factor of the product
     * @param a       the memory of A
     * @param aOffset index of A's first element in {@code a}, in doubles
     * @param lda     A's leading dimension (row stride), in doubles
     * @param b       the memory of B
     * @param bOffset index of B's first element in {@code b}, in doubles
     * @param ldb     B's leading dimension (row stride), in doubles
     * @param beta    the factor of C's previous value (0: C is only written)
     * @param c       the memory of C
     * @param cOffset index of C's first element in {@code c}, in doubles
     * @param ldc     C's leading dimension (row stride), in doubles
     * @throws IllegalArgumentException if a dimension, leading dimension, offset or segment size is wrong,
     *                                  or C overlaps A or B
     * @throws IllegalStateException    if a segment's memory has been freed
     */
    void dgemm(Transpose transA, Transpose transB, int m, int n, int k,
               double alpha, MemorySegment a, long aOffset, int lda,
               MemorySegment b, long bOffset, int ldb,
               double beta, MemorySegment c, long cOffset, int ldc);

    /**
     * {@code C = alpha·op(A)·op(B) + beta·C} in single precision, like {@code cblas_sgemm(CblasRowMajor, …)}:
     * the same contract as {@link #dgemm}, with offsets and leading dimensions counted in floats.
     *
     * @param transA  whether A is used transposed
     * @param transB  whether B is used transposed
     * @param m       rows of op(A) and C
     * @param n       columns of op(B) and C
     * @param k       columns of op(A), rows of op(B)
     * @param alpha   the factor of the product
     * @param a       the memory of A
     * @param aOffset index of A's first element in {@code a}, in floats
     * @param lda     A's leading dimension (row stride), in floats
     * @param b       the memory of B
     * @param bOffset index of B's first element in {@code b}, in floats
     * @param ldb     B's leading dimension (row stride), in floats
     * @param beta    the factor of C's previous value (0: C is only written)
     * @param c       the memory of C
     * @param cOffset index of C's first element in {@code c}, in floats
     * @param ldc     C's leading dimension (row stride), in floats
     * @throws IllegalArgumentException if a dimension, leading dimension, offset or segment size is wrong,
     *                                  or C overlaps A or B
     * @throws IllegalStateException    if a segment's memory has been freed
     */
    void sgemm(Transpose transA, Transpose transB, int m, int n, int k,
               float alpha, MemorySegment a, long aOffset, int lda,
               MemorySegment b, long bOffset, int ldb,
               float beta, MemorySegment c, long cOffset, int ldc);

    /**
     * {@code C = alpha·op(A)·op(B) + beta·C} on matrices and views, through {@link #dgemm} for float64
     * matrices and {@link #sgemm} for float32 ones (alpha and beta rounded to float).
     *
     * @param alpha  the factor of the product
     * @param a      A
     * @param transA whether A is used transposed
     * @param b      B
     * @param transB whether B is used transposed
     * @param beta   the factor of C's previous value (0: C is only written)
     * @param c      C, the result; must not overlap A or B
     *
     * @throws IllegalArgumentException if the shapes do not chain or the element types differ; the message
     *                                  names them
     * @throws IllegalStateException    if a matrix is closed
     */
    default void gemm(double alpha, Matrix a, boolean transA, Matrix b, boolean transB, double beta, Matrix c) {
        if (a.dtype() != c.dtype() || b.dtype() != c.dtype()) {
            throw new IllegalArgumentException("gemm: element types differ: A is " + a.describe() + ", B is " + b.describe()
                    + ", C is " + c.describe() + "; convert one with Matrix.copyFrom");
        }
        int m = transA ? a.cols() : a.rows();
        int ka = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (ka != kb) {
            throw new IllegalArgumentException("gemm: inner dimensions differ: op(A) is " + m + "×" + ka
                    + " (A " + a.shape() + (transA ? ", transposed" : "") + ") but op(B) is " + kb + "×" + n
                    + " (B " + b.shape() + (transB ? ", transposed" : "") + ")");
        }
        if (c.rows() != m || c.cols() != n) {
            throw new IllegalArgumentException("gemm: C is " + c.shape() + " but op(A)·op(B) is " + m + "×" + n
                    + " (A " + a.shape() + (transA ? "ᵀ" : "") + ", B " + b.shape() + (transB ? "ᵀ" : "") + ")");
        }
        if (c.dtype() == DType.FLOAT32) {
            sgemm(Transpose.of(transA), Transpose.of(transB), m, n, ka,
                    (float) alpha, a.segment(), 0, a.stride(), b.segment(), 0, b.stride(), (float) beta, c.segment(), 0, c.stride());
        } else {
            dgemm(Transpose.of(transA), Transpose.of(transB), m, n, ka,
                    alpha, a.segment(), 0, a.stride(), b.segment(), 0, b.stride(), beta, c.segment(), 0, c.stride());
        }
    }
}

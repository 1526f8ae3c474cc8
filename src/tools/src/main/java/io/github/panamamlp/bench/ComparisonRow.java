package io.github.panamamlp.bench;

import io.github.panamamlp.tensor.DType;

/**
 * One shape in one element type at one thread count, measured on both sides in the same run.
 *
 * @param shape   the product
 * @param threads the OpenBLAS thread count asked of both sides
 * @param c       {@code cblas_dgemm} or {@code cblas_sgemm} called from C ({@code native/gemm_bench})
 * @param ffm     {@code Blas.openBlas().gemm(...)} called from Java through FFM, on matrices of the same type
 */
public record ComparisonRow(GemmShape shape, int threads, Measurement c, Measurement ffm) {

    /** Checks that both measurements are of this row's product, in one element type. */
    public ComparisonRow {
        if (!c.shape().sameProduct(shape) || !ffm.shape().sameProduct(shape)) {
            throw new IllegalArgumentException("row " + shape.spec() + " holds measurements of " + c.shape().spec()
                    + " and " + ffm.shape().spec());
        }
        if (c.dtype() != ffm.dtype()) {
            throw new IllegalArgumentException("row " + shape.spec() + " holds a " + c.dtype() + " measurement from C and a "
                    + ffm.dtype() + " one from FFM");
        }
    }

    /** {@return the element type both sides ran: float64 ({@code cblas_dgemm}) or float32 ({@code cblas_sgemm})} */
    public DType dtype() {
        return c.dtype();
    }

    /** {@return C's GFLOPS at its median time} */
    public double cGflops() {
        return c.gflopsMedian();
    }

    /** {@return FFM's GFLOPS at its median time} */
    public double ffmGflops() {
        return ffm.gflopsMedian();
    }

    /** {@return FFM GFLOPS / C GFLOPS (equivalently C's median time / FFM's): 1 means equally fast, below 1 FFM is slower} */
    public double ratio() {
        return ffmGflops() / cGflops();
    }

    /** {@return true when both sides ran at the thread count asked for (OpenBLAS may cap it)} */
    public boolean threadsAsAsked() {
        return c.threads() == threads && ffm.threads() == threads;
    }
}

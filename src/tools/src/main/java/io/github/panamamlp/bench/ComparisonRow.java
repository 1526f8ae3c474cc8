package io.github.panamamlp.bench;

/**
 * One shape at one thread count, measured on both sides in the same run.
 *
 * @param shape   the product
 * @param threads the OpenBLAS thread count asked of both sides
 * @param c       {@code cblas_dgemm} called from C ({@code native/gemm_bench})
 * @param ffm     {@code Blas.openBlas().gemm(...)} called from Java through FFM
 */
public record ComparisonRow(GemmShape shape, int threads, Measurement c, Measurement ffm) {

    /** Checks that both measurements are of this row's product. */
    public ComparisonRow {
        if (!c.shape().sameProduct(shape) || !ffm.shape().sameProduct(shape)) {
            throw new IllegalArgumentException("row " + shape.spec() + " holds measurements of " + c.shape().spec()
                    + " and " + ffm.shape().spec());
        }
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

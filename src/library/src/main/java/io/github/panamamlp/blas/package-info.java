/**
 * Matrix products: {@link io.github.panamamlp.blas.Blas}, one GEMM interface with two implementations,
 * OpenBLAS's {@code cblas_dgemm} called through the FFM API ({@link io.github.panamamlp.blas.Blas#openBlas()},
 * the default) and plain Java loops ({@link io.github.panamamlp.blas.Blas#java()}); and
 * {@link io.github.panamamlp.blas.OpenBlas}, which finds and loads the OpenBLAS library, reports what was
 * loaded, and sets its thread count. When OpenBLAS cannot be loaded, the first use throws an
 * {@link io.github.panamamlp.blas.OpenBlasUnavailableException} listing what was tried and what to do.
 */
package io.github.panamamlp.blas;

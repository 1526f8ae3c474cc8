package io.github.panamamlp.blas;

import io.github.panamamlp.bindings.openblas.cblas_h;

import java.lang.foreign.MemorySegment;

/** {@link Blas} through the jextract bindings to OpenBLAS's {@code cblas_dgemm} and {@code cblas_sgemm}. */
final class NativeBlas implements Blas {
    static final NativeBlas INSTANCE = new NativeBlas();

    private NativeBlas() {
    }

    @Override
    public String name() {
        return "openblas";
    }

    @Override
    public void dgemm(Transpose transA, Transpose transB, int m, int n, int k,
                      double alpha, MemorySegment a, long aOffset, int lda,
                      MemorySegment b, long bOffset, int ldb,
                      double beta, MemorySegment c, long cOffset, int ldc) {
        BlasChecks.checkDgemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        OpenBlas.load();
        // Slices are only taken for non-zero offsets: asSlice costs an allocation the JIT does not always remove.
        MemorySegment as = aOffset == 0 ? a : a.asSlice(aOffset * Double.BYTES);
        MemorySegment bs = bOffset == 0 ? b : b.asSlice(bOffset * Double.BYTES);
        MemorySegment cs = cOffset == 0 ? c : c.asSlice(cOffset * Double.BYTES);
        // Every product runs with the thread count chosen for its shape (or the forced one), never with a
        // count another thread set meanwhile: see ThreadGate.
        OpenBlas.enter(m, n, k, false);
        try {
            cblas_h.cblas_dgemm(cblas_h.CblasRowMajor(), trans(transA), trans(transB), m, n, k,
                    alpha, as, lda, bs, ldb, beta, cs, ldc);
        } catch (AssertionError e) {
            // The jextract bindings wrap whatever the downcall throws in an AssertionError. FFM throws
            // IllegalStateException when a segment's arena was closed after the checks above (a model closed
            // under a predicting thread): that is the documented outcome of such a race, so it comes out as it is.
            if (e.getCause() instanceof IllegalStateException closed) {
                throw closed;
            }
            throw e;
        } finally {
            OpenBlas.exit();
        }
    }

    @Override
    public void sgemm(Transpose transA, Transpose transB, int m, int n, int k,
                      float alpha, MemorySegment a, long aOffset, int lda,
                      MemorySegment b, long bOffset, int ldb,
                      float beta, MemorySegment c, long cOffset, int ldc) {
        BlasChecks.checkSgemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        OpenBlas.load();
        MemorySegment as = aOffset == 0 ? a : a.asSlice(aOffset * Float.BYTES);
        MemorySegment bs = bOffset == 0 ? b : b.asSlice(bOffset * Float.BYTES);
        MemorySegment cs = cOffset == 0 ? c : c.asSlice(cOffset * Float.BYTES);
        // Each float multiply-add costs about half a double one, so threads pay from a larger product on.
        OpenBlas.enter(m, n, k, true);
        try {
            cblas_h.cblas_sgemm(cblas_h.CblasRowMajor(), trans(transA), trans(transB), m, n, k,
                    alpha, as, lda, bs, ldb, beta, cs, ldc);
        } catch (AssertionError e) {
            if (e.getCause() instanceof IllegalStateException closed) {
                throw closed;
            }
            throw e;
        } finally {
            OpenBlas.exit();
        }
    }

    private static int trans(Transpose t) {
        return t == Transpose.NO ? cblas_h.CblasNoTrans() : cblas_h.CblasTrans();
    }
}

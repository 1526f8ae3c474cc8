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
        // Every product runs with the thread count chosen for its shape (or the forced one), never with a
        // count another thread set meanwhile: see ThreadGate.
        OpenBlas.enter(m, n, k, false);
        try {
            cblas_h.cblas_dgemm(cblas_h.CblasRowMajor(), trans(transA), trans(transB), m, n, k,
                    alpha, at(a, aOffset, Double.BYTES), lda, at(b, bOffset, Double.BYTES), ldb, beta, at(c, cOffset, Double.BYTES), ldc);
        } catch (AssertionError e) {
            throw unwrap(e);
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
        // Each float multiply-add costs about half a double one, so threads pay from a larger product on.
        OpenBlas.enter(m, n, k, true);
        try {
            cblas_h.cblas_sgemm(cblas_h.CblasRowMajor(), trans(transA), trans(transB), m, n, k,
                    alpha, at(a, aOffset, Float.BYTES), lda, at(b, bOffset, Float.BYTES), ldb, beta, at(c, cOffset, Float.BYTES), ldc);
        } catch (AssertionError e) {
            throw unwrap(e);
        } finally {
            OpenBlas.exit();
        }
    }

    /** The operand from element {@code offset} on; a slice only for a non-zero offset (asSlice allocates). */
    private static MemorySegment at(MemorySegment s, long offset, int elementBytes) {
        return offset == 0 ? s : s.asSlice(offset * elementBytes);
    }

    /**
     * What a downcall's AssertionError stands for. The jextract bindings wrap whatever the downcall throws in an
     * AssertionError. FFM throws IllegalStateException when a segment's arena was closed after the checks (a
     * model closed under a predicting thread): that is the documented outcome of such a race, so it comes out
     * as it is.
     */
    private static RuntimeException unwrap(AssertionError e) {
        if (e.getCause() instanceof IllegalStateException closed) {
            return closed;
        }
        throw e;
    }

    private static int trans(Transpose t) {
        return t == Transpose.NO ? cblas_h.CblasNoTrans() : cblas_h.CblasTrans();
    }
}

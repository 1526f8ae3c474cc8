package io.github.panamamlp.blas;

import io.github.panamamlp.tensor.Matrix;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every class of invalid argument throws before the downcall, in this one JVM, which must survive all
 * of them; the last check proves native GEMM still works afterwards.
 */
class GemmValidationTest {

    static Stream<Blas> implementations() {
        return Stream.of(Blas.openBlas(), Blas.java());
    }

    private static void assertRejected(Class<? extends Throwable> type, String fragment, Executable call) {
        Throwable t = assertThrows(type, call);
        assertTrue(t.getMessage().contains(fragment), () -> "message '" + t.getMessage() + "' lacks '" + fragment + "'");
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void rejectsBadShapesAndMemory(Blas blas) {
        try (Arena arena = Arena.ofConfined()) {
            Matrix a = Matrix.allocate(arena, 4, 3);
            Matrix b = Matrix.allocate(arena, 3, 5);
            Matrix c = Matrix.allocate(arena, 4, 5);
            Matrix wrongB = Matrix.allocate(arena, 2, 5);
            Matrix wrongC = Matrix.allocate(arena, 5, 4);

            assertRejected(IllegalArgumentException.class, "inner dimensions differ", () -> blas.gemm(1, a, false, wrongB, false, 0, c));
            assertRejected(IllegalArgumentException.class, "4×3", () -> blas.gemm(1, a, false, wrongB, false, 0, c));
            assertRejected(IllegalArgumentException.class, "C is 5×4", () -> blas.gemm(1, a, false, b, false, 0, wrongC));
            assertRejected(IllegalArgumentException.class, "inner dimensions differ", () -> blas.gemm(1, a, true, b, false, 0, c));

            MemorySegment s = a.segment(); // 12 doubles
            MemorySegment big = arena.allocate(8 * 100, 64);
            // Leading dimension smaller than the stored row.
            assertRejected(IllegalArgumentException.class, "leading dimension of A", () ->
                    blas.dgemm(Transpose.NO, Transpose.NO, 4, 5, 3, 1, s, 0, 2, big, 0, 5, 0, c.segment(), 0, 5));
            assertRejected(IllegalArgumentException.class, "leading dimension of B", () ->
                    blas.dgemm(Transpose.NO, Transpose.YES, 4, 5, 3, 1, s, 0, 3, big, 0, 2, 0, c.segment(), 0, 5));
            assertRejected(IllegalArgumentException.class, "leading dimension of C", () ->
                    blas.dgemm(Transpose.NO, Transpose.NO, 4, 5, 3, 1, s, 0, 3, big, 0, 5, 0, c.segment(), 0, 4));
            // A leading dimension that walks off the end of the segment.
            assertRejected(IllegalArgumentException.class, "needs", () ->
                    blas.dgemm(Transpose.NO, Transpose.NO, 4, 5, 3, 1, s, 0, 4, big, 0, 5, 0, c.segment(), 0, 5));
            // An offset past the end, and a negative one.
            assertRejected(IllegalArgumentException.class, "needs", () ->
                    blas.dgemm(Transpose.NO, Transpose.NO, 4, 5, 3, 1, s, 1, 3, big, 0, 5, 0, c.segment(), 0, 5));
            assertRejected(IllegalArgumentException.class, "negative", () ->
                    blas.dgemm(Transpose.NO, Transpose.NO, 4, 5, 3, 1, s, -1, 3, big, 0, 5, 0, c.segment(), 0, 5));
            // Dimensions bigger than the memory, and negative ones.
            assertRejected(IllegalArgumentException.class, "C needs", () ->
                    blas.dgemm(Transpose.NO, Transpose.NO, 4, 5, 3, 1, s, 0, 3, big, 0, 5, 0, big.asSlice(0, 8 * 19), 0, 5));
            assertRejected(IllegalArgumentException.class, "non-negative", () ->
                    blas.dgemm(Transpose.NO, Transpose.NO, -4, 5, 3, 1, s, 0, 3, big, 0, 5, 0, c.segment(), 0, 5));
            assertRejected(IllegalArgumentException.class, "A needs", () ->
                    blas.dgemm(Transpose.NO, Transpose.NO, Integer.MAX_VALUE, 1, Integer.MAX_VALUE, 1, s, 0, Integer.MAX_VALUE, big, 0, 1, 0, c.segment(), 0, 1));
            // Heap memory cannot be handed to native code.
            assertRejected(IllegalArgumentException.class, "off-heap", () ->
                    blas.dgemm(Transpose.NO, Transpose.NO, 4, 5, 3, 1, MemorySegment.ofArray(new double[12]), 0, 3, big, 0, 5, 0, c.segment(), 0, 5));
            // C written over its own input.
            assertRejected(IllegalArgumentException.class, "overlaps", () ->
                    blas.dgemm(Transpose.NO, Transpose.NO, 4, 5, 3, 1, big, 0, 3, big, 0, 5, 0, big, 10, 5));
            assertRejected(IllegalArgumentException.class, "is null", () ->
                    blas.dgemm(Transpose.NO, Transpose.NO, 4, 5, 3, 1, null, 0, 3, big, 0, 5, 0, c.segment(), 0, 5));
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void rejectsClosedMatricesAndViewsPastTheEnd(Blas blas) {
        Matrix a = Matrix.allocate(2, 3);
        Matrix b = Matrix.allocate(3, 2);
        Matrix c = Matrix.allocate(2, 2);
        a.close();
        assertRejected(IllegalStateException.class, "closed", () -> blas.gemm(1, a, false, b, false, 0, c));
        Matrix view = b.rowView(1, 3);
        b.close();
        assertRejected(IllegalStateException.class, "closed", () -> blas.gemm(1, view, false, c, false, 0, c));
        assertThrows(IndexOutOfBoundsException.class, () -> c.rowView(1, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> c.rowView(-1, 1));
        // Raw memory freed under a segment.
        Arena arena = Arena.ofConfined();
        MemorySegment freed = arena.allocate(8 * 6, 64);
        arena.close();
        assertRejected(IllegalStateException.class, "freed", () ->
                blas.dgemm(Transpose.NO, Transpose.NO, 2, 2, 3, 1, freed, 0, 3, freed, 0, 2, 0, c.segment(), 0, 2));
        c.close();
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void stillComputesAfterRejections(Blas blas) {
        try (Matrix a = Matrix.of(new double[][]{{1, 2}, {3, 4}}); Matrix c = Matrix.allocate(2, 2)) {
            blas.gemm(1, a, false, a, true, 0, c);
            assertEquals(5, c.get(0, 0));
            assertEquals(11, c.get(0, 1));
            assertEquals(25, c.get(1, 1));
        }
    }
}

package io.github.panamamlp.blas;

import io.github.panamamlp.tensor.DType;
import io.github.panamamlp.tensor.Matrix;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every class of invalid argument throws before the downcall, in this one JVM, which must survive all
 * of them; the last check proves native GEMM still works afterwards. Each check runs for dgemm and for
 * sgemm: the messages name the routine and count in its elements (doubles or floats).
 */
class GemmValidationTest {

    static Stream<Blas> implementations() {
        return Stream.of(Blas.openBlas(), Blas.java());
    }

    static Stream<Arguments> implementationsAndTypes() {
        return implementations().flatMap(blas -> Stream.of(DType.values()).map(type -> Arguments.of(blas, type)));
    }

    private static void assertRejected(Class<? extends Throwable> type, String fragment, Executable call) {
        Throwable t = assertThrows(type, call);
        assertTrue(t.getMessage().contains(fragment), () -> "message '" + t.getMessage() + "' lacks '" + fragment + "'");
    }

    /** Rejected by the routine of {@code type}, whose name starts the message ("dgemm: …" or "sgemm: …"). */
    private static void assertRejected(DType type, Class<? extends Throwable> exception, String fragment, Executable call) {
        Throwable t = assertThrows(exception, call);
        String op = routine(type) + ": ";
        assertTrue(t.getMessage().startsWith(op), () -> "message '" + t.getMessage() + "' does not start with '" + op + "'");
        assertTrue(t.getMessage().contains(fragment), () -> "message '" + t.getMessage() + "' lacks '" + fragment + "'");
    }

    private static String routine(DType type) {
        return type == DType.FLOAT32 ? "sgemm" : "dgemm";
    }

    private static String unit(DType type) {
        return type == DType.FLOAT32 ? "floats" : "doubles";
    }

    /** The raw routine of the type: dgemm, or sgemm with α and β rounded to float. */
    private static void gemm(Blas blas, DType type, Transpose ta, Transpose tb, int m, int n, int k, double alpha,
                             MemorySegment a, long aOffset, int lda, MemorySegment b, long bOffset, int ldb,
                             double beta, MemorySegment c, long cOffset, int ldc) {
        if (type == DType.FLOAT32) {
            blas.sgemm(ta, tb, m, n, k, (float) alpha, a, aOffset, lda, b, bOffset, ldb, (float) beta, c, cOffset, ldc);
        } else {
            blas.dgemm(ta, tb, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
        }
    }

    @ParameterizedTest
    @MethodSource("implementationsAndTypes")
    void rejectsBadShapesAndMemory(Blas blas, DType type) {
        Transpose no = Transpose.NO;
        int size = type.bytes();
        try (Arena arena = Arena.ofConfined()) {
            Matrix a = Matrix.allocate(arena, 4, 3, type);
            Matrix b = Matrix.allocate(arena, 3, 5, type);
            Matrix c = Matrix.allocate(arena, 4, 5, type);
            Matrix wrongB = Matrix.allocate(arena, 2, 5, type);
            Matrix wrongC = Matrix.allocate(arena, 5, 4, type);

            assertRejected(IllegalArgumentException.class, "inner dimensions differ", () -> blas.gemm(1, a, false, wrongB, false, 0, c));
            assertRejected(IllegalArgumentException.class, "4×3", () -> blas.gemm(1, a, false, wrongB, false, 0, c));
            assertRejected(IllegalArgumentException.class, "C is 5×4", () -> blas.gemm(1, a, false, b, false, 0, wrongC));
            assertRejected(IllegalArgumentException.class, "inner dimensions differ", () -> blas.gemm(1, a, true, b, false, 0, c));

            MemorySegment s = a.segment(); // 12 elements
            MemorySegment big = arena.allocate(size * 100L, 64);
            MemorySegment cs = c.segment();
            // Leading dimension smaller than the stored row.
            assertRejected(type, IllegalArgumentException.class, "leading dimension of A", () ->
                    gemm(blas, type, no, no, 4, 5, 3, 1, s, 0, 2, big, 0, 5, 0, cs, 0, 5));
            assertRejected(type, IllegalArgumentException.class, "leading dimension of B", () ->
                    gemm(blas, type, no, Transpose.YES, 4, 5, 3, 1, s, 0, 3, big, 0, 2, 0, cs, 0, 5));
            assertRejected(type, IllegalArgumentException.class, "leading dimension of C", () ->
                    gemm(blas, type, no, no, 4, 5, 3, 1, s, 0, 3, big, 0, 5, 0, cs, 0, 4));
            // A leading dimension that walks off the end of the segment: 15 elements from a segment of 12.
            assertRejected(type, IllegalArgumentException.class, "A needs 15 " + unit(type) + " from offset 0", () ->
                    gemm(blas, type, no, no, 4, 5, 3, 1, s, 0, 4, big, 0, 5, 0, cs, 0, 5));
            // An offset past the end, and a negative one.
            assertRejected(type, IllegalArgumentException.class, "but its segment holds 12", () ->
                    gemm(blas, type, no, no, 4, 5, 3, 1, s, 1, 3, big, 0, 5, 0, cs, 0, 5));
            assertRejected(type, IllegalArgumentException.class, "negative", () ->
                    gemm(blas, type, no, no, 4, 5, 3, 1, s, -1, 3, big, 0, 5, 0, cs, 0, 5));
            // Dimensions bigger than the memory, and negative ones.
            assertRejected(type, IllegalArgumentException.class, "C needs 20 " + unit(type), () ->
                    gemm(blas, type, no, no, 4, 5, 3, 1, s, 0, 3, big, 0, 5, 0, big.asSlice(0, size * 19L), 0, 5));
            assertRejected(type, IllegalArgumentException.class, "non-negative", () ->
                    gemm(blas, type, no, no, -4, 5, 3, 1, s, 0, 3, big, 0, 5, 0, cs, 0, 5));
            assertRejected(type, IllegalArgumentException.class, "A needs", () ->
                    gemm(blas, type, no, no, Integer.MAX_VALUE, 1, Integer.MAX_VALUE, 1, s, 0, Integer.MAX_VALUE, big, 0, 1, 0, cs, 0, 1));
            // Heap memory cannot be handed to native code.
            MemorySegment heap = type == DType.FLOAT32 ? MemorySegment.ofArray(new float[12]) : MemorySegment.ofArray(new double[12]);
            assertRejected(type, IllegalArgumentException.class, "off-heap", () ->
                    gemm(blas, type, no, no, 4, 5, 3, 1, heap, 0, 3, big, 0, 5, 0, cs, 0, 5));
            // C written over its own input.
            assertRejected(type, IllegalArgumentException.class, "overlaps", () ->
                    gemm(blas, type, no, no, 4, 5, 3, 1, big, 0, 3, big, 0, 5, 0, big, 10, 5));
            assertRejected(type, IllegalArgumentException.class, "is null", () ->
                    gemm(blas, type, no, no, 4, 5, 3, 1, null, 0, 3, big, 0, 5, 0, cs, 0, 5));
            assertRejected(type, IllegalArgumentException.class, "transpose flags", () ->
                    gemm(blas, type, null, no, 4, 5, 3, 1, s, 0, 3, big, 0, 5, 0, cs, 0, 5));
        }
    }

    /**
     * Sizes, offsets and overlaps are counted in the routine's own elements. A's 4×3 needs 12 elements: 48 bytes
     * hold 12 floats but only 6 doubles, so sgemm takes them and dgemm refuses them (a check that counted sgemm's
     * floats as doubles, or dgemm's doubles as floats, fails here); 44 bytes are too few even for sgemm.
     */
    @ParameterizedTest
    @MethodSource("implementations")
    void countsSizesOffsetsAndOverlapsInElementsOfItsType(Blas blas) {
        Transpose no = Transpose.NO;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment b = arena.allocate(8 * 15, 64); // B 3×5: 15 doubles, so 30 floats
            MemorySegment c = arena.allocate(8 * 20, 64);
            MemorySegment exact = arena.allocate(12 * 4, 64);
            for (int i = 0; i < 12; i++) {
                exact.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i, i + 1);
            }
            for (int i = 0; i < 15; i++) {
                b.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i, 1);
            }
            blas.sgemm(no, no, 4, 5, 3, 1, exact, 0, 3, b, 0, 5, 0, c, 0, 5);
            // Row i of A is (3i+1, 3i+2, 3i+3) and B is all ones: C[i][j] = 9i + 6.
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 5; j++) {
                    assertEquals(9f * i + 6, c.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i * 5L + j), "C(" + i + ", " + j + ")");
                }
            }
            assertRejected(DType.FLOAT64, IllegalArgumentException.class, "A needs 12 doubles from offset 0 (stored 4×3, ld 3) but its segment holds 6", () ->
                    blas.dgemm(no, no, 4, 5, 3, 1, exact, 0, 3, b, 0, 5, 0, c, 0, 5));
            assertRejected(DType.FLOAT32, IllegalArgumentException.class, "A needs 12 floats from offset 0 (stored 4×3, ld 3) but its segment holds 11", () ->
                    blas.sgemm(no, no, 4, 5, 3, 1, exact.asSlice(0, 44), 0, 3, b, 0, 5, 0, c, 0, 5));
            // Offsets in floats: from 52 bytes (13 floats) offset 1 fits and offset 2 does not.
            MemorySegment thirteen = arena.allocate(13 * 4, 64);
            blas.sgemm(no, no, 4, 5, 3, 1, thirteen, 1, 3, b, 0, 5, 0, c, 0, 5);
            assertRejected(DType.FLOAT32, IllegalArgumentException.class, "A needs 12 floats from offset 2", () ->
                    blas.sgemm(no, no, 4, 5, 3, 1, thirteen, 2, 3, b, 0, 5, 0, c, 0, 5));
            // B 3×5 fits 60 bytes as floats; its 15 doubles would need 120.
            MemorySegment sixty = b.asSlice(0, 60);
            blas.sgemm(no, no, 4, 5, 3, 1, exact, 0, 3, sixty, 0, 5, 0, c, 0, 5);
            assertRejected(DType.FLOAT64, IllegalArgumentException.class, "B needs 15 doubles", () ->
                    blas.dgemm(no, no, 4, 5, 3, 1, c, 0, 3, sixty, 0, 5, 0, arena.allocate(8 * 20, 64), 0, 5));
            // The vice versa of the byte count: a segment with room for 20 doubles is 40 floats, and C may start at
            // float 20 of it (sgemm) but not at double 1 (dgemm).
            assertRejected(DType.FLOAT64, IllegalArgumentException.class, "C needs 20 doubles from offset 1", () ->
                    blas.dgemm(no, no, 4, 5, 3, 1, arena.allocate(8 * 12, 64), 0, 3, b, 0, 5, 0, c, 1, 5));
            blas.sgemm(no, no, 4, 5, 3, 1, exact, 0, 3, b, 0, 5, 0, c, 20, 5);

            // Overlap in floats: A takes bytes [0, 48) of `shared`; C may begin at byte 48 but not at byte 44. (Counted
            // in doubles, A would reach byte 96 and C at byte 48 would seem to overlap it.)
            MemorySegment shared = arena.allocate(4 * 40, 64);
            blas.sgemm(no, no, 4, 5, 3, 1, shared, 0, 3, b, 0, 5, 0, shared.asSlice(48), 0, 5);
            blas.sgemm(no, no, 4, 5, 3, 1, shared, 0, 3, b, 0, 5, 0, shared, 12, 5);
            assertRejected(DType.FLOAT32, IllegalArgumentException.class, "C overlaps A", () ->
                    blas.sgemm(no, no, 4, 5, 3, 1, shared, 0, 3, b, 0, 5, 0, shared.asSlice(44), 0, 5));
            assertRejected(DType.FLOAT32, IllegalArgumentException.class, "C overlaps A", () ->
                    blas.sgemm(no, no, 4, 5, 3, 1, shared, 0, 3, b, 0, 5, 0, shared, 11, 5));
            assertRejected(DType.FLOAT32, IllegalArgumentException.class, "C overlaps B", () ->
                    blas.sgemm(no, no, 4, 5, 3, 1, exact, 0, 3, shared, 0, 5, 0, shared, 14, 5));
            blas.sgemm(no, no, 4, 5, 3, 1, exact, 0, 3, shared, 0, 5, 0, shared, 15, 5);
        }
    }

    /** Matrices of different element types are never multiplied: the message names every operand's type. */
    @ParameterizedTest
    @MethodSource("implementations")
    void rejectsMixedElementTypes(Blas blas) {
        try (Arena arena = Arena.ofConfined()) {
            for (int mask = 1; mask < 7; mask++) { // every assignment of types to A, B, C but the two uniform ones
                DType ta = (mask & 1) != 0 ? DType.FLOAT32 : DType.FLOAT64;
                DType tb = (mask & 2) != 0 ? DType.FLOAT32 : DType.FLOAT64;
                DType tc = (mask & 4) != 0 ? DType.FLOAT32 : DType.FLOAT64;
                Matrix a = Matrix.allocate(arena, 2, 3, ta);
                Matrix b = Matrix.allocate(arena, 3, 4, tb);
                Matrix c = Matrix.allocate(arena, 2, 4, tc).fill(5);
                a.fill(1);
                b.fill(1);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> blas.gemm(1, a, false, b, false, 0, c));
                String msg = e.getMessage();
                for (String fragment : List.of("element types differ", "float32", "float64", "A is 2×3 " + ta, "B is 3×4 " + tb, "C is 2×4 " + tc)) {
                    assertTrue(msg.contains(fragment), () -> "message '" + msg + "' lacks '" + fragment + "'");
                }
                assertEquals(5.0, c.get(1, 3), "C is not written when the types differ");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("implementationsAndTypes")
    void rejectsClosedMatricesAndViewsPastTheEnd(Blas blas, DType type) {
        Matrix a = Matrix.allocate(2, 3, type);
        Matrix b = Matrix.allocate(3, 2, type);
        Matrix c = Matrix.allocate(2, 2, type);
        a.close();
        assertRejected(IllegalStateException.class, "closed", () -> blas.gemm(1, a, false, b, false, 0, c));
        Matrix view = b.rowView(1, 3);
        b.close();
        assertRejected(IllegalStateException.class, "closed", () -> blas.gemm(1, view, false, c, false, 0, c));
        assertThrows(IndexOutOfBoundsException.class, () -> c.rowView(1, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> c.rowView(-1, 1));
        // Raw memory freed under a segment.
        Arena arena = Arena.ofConfined();
        MemorySegment freed = arena.allocate(type.bytes() * 6L, 64);
        arena.close();
        assertRejected(type, IllegalStateException.class, "freed", () ->
                gemm(blas, type, Transpose.NO, Transpose.NO, 2, 2, 3, 1, freed, 0, 3, freed, 0, 2, 0, c.segment(), 0, 2));
        // An arena closed under a matrix the caller still holds.
        Arena borrowed = Arena.ofConfined();
        Matrix gone = Matrix.allocate(borrowed, 2, 2, type);
        MemorySegment goneSegment = gone.segment();
        borrowed.close();
        assertRejected(IllegalStateException.class, "closed", () -> blas.gemm(1, gone, false, c, false, 0, c));
        assertRejected(type, IllegalStateException.class, "the memory of C has been freed", () ->
                gemm(blas, type, Transpose.NO, Transpose.NO, 2, 2, 2, 1, c.segment(), 0, 2, c.segment(), 0, 2, 0, goneSegment, 0, 2));
        c.close();
    }

    @ParameterizedTest
    @MethodSource("implementationsAndTypes")
    void stillComputesAfterRejections(Blas blas, DType type) {
        try (Matrix a = Matrix.of(new double[][]{{1, 2}, {3, 4}}, type); Matrix c = Matrix.allocate(2, 2, type)) {
            blas.gemm(1, a, false, a, true, 0, c);
            assertEquals(5, c.get(0, 0));
            assertEquals(11, c.get(0, 1));
            assertEquals(25, c.get(1, 1));
        }
    }
}

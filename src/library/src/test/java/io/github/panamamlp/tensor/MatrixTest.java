package io.github.panamamlp.tensor;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MatrixTest {

    @Test
    void allocatesZeroedAlignedRowMajorMemory() {
        try (Matrix m = Matrix.allocate(3, 5)) {
            assertEquals(0, m.segment().address() % Matrix.ALIGNMENT);
            assertEquals(5, m.stride());
            assertArrayEquals(new double[15], m.toArray());
            m.set(1, 2, 7.5);
            assertEquals(7.5, m.segment().getAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE, 1 * 5 + 2));
        }
    }

    @Test
    void copiesToAndFromArrays() {
        double[] v = {1, 2, 3, 4, 5, 6};
        try (Matrix m = Matrix.allocate(2, 3)) {
            m.copyFrom(v);
            assertArrayEquals(v, m.toArray());
            assertArrayEquals(new double[]{4, 5, 6}, m.toArray2D()[1]);
            assertEquals(6, m.get(1, 2));
            assertThrows(IllegalArgumentException.class, () -> m.copyFrom(new double[5]));
            assertThrows(IndexOutOfBoundsException.class, () -> m.get(2, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> m.get(0, 3));
        }
    }

    @Test
    void rowViewsShareMemory() {
        try (Matrix m = Matrix.of(new double[][]{{1, 2}, {3, 4}, {5, 6}, {7, 8}})) {
            Matrix v = m.rowView(1, 3);
            assertEquals(2, v.rows());
            assertArrayEquals(new double[]{3, 4, 5, 6}, v.toArray());
            v.set(0, 1, 40);
            assertEquals(40, m.get(1, 1));
            Matrix vv = v.rowView(1, 2);
            assertArrayEquals(new double[]{5, 6}, vv.toArray());
            assertEquals(0, m.rowView(4, 4).rows());
            assertThrows(IndexOutOfBoundsException.class, () -> v.get(2, 0));
        }
    }

    @Test
    void useAfterCloseThrows() {
        Matrix m = Matrix.allocate(2, 2);
        Matrix v = m.rowView(0, 1);
        m.close();
        m.close(); // twice is harmless
        assertTrue(m.isClosed());
        assertTrue(v.isClosed());
        assertThrows(IllegalStateException.class, () -> m.get(0, 0));
        assertThrows(IllegalStateException.class, () -> v.set(0, 0, 1));
        assertThrows(IllegalStateException.class, m::segment);
        assertThrows(IllegalStateException.class, () -> m.rowView(0, 1));
    }

    @Test
    void arenaOwnedMatricesDieWithTheirArena() {
        Matrix m;
        try (Arena arena = Arena.ofConfined()) {
            m = Matrix.allocate(arena, 2, 2);
            m.set(0, 0, 1);
        }
        assertTrue(m.isClosed());
        assertThrows(IllegalStateException.class, () -> m.get(0, 0));
    }

    @Test
    void rejectsBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> Matrix.allocate(-1, 2));
        assertThrows(IllegalArgumentException.class, () -> Matrix.of(new double[][]{{1, 2}, {3}}));
        try (Arena arena = Arena.ofConfined()) {
            assertThrows(IllegalArgumentException.class, () -> Matrix.wrap(arena.allocate(8 * 5, 8), 2, 3, 3));
            assertThrows(IllegalArgumentException.class, () -> Matrix.wrap(arena.allocate(8 * 6, 8), 2, 3, 2));
            assertEquals(6, Matrix.wrap(arena.allocate(8 * 6, 8), 2, 3, 3).toArray().length);
        }
    }

    // Float32 matrices: the element type is fixed at allocation, views keep it, and the double accessors widen on
    // reads (exactly) and round on writes (to the nearest float, ties to even), so what a float32 matrix holds is
    // always (float) of what was written.

    @Test
    void float64IsTheDefaultEverywhere() {
        try (Matrix a = Matrix.allocate(2, 3); Matrix b = Matrix.of(new double[][]{{1}}); Arena arena = Arena.ofConfined()) {
            assertSame(DType.FLOAT64, a.dtype());
            assertSame(DType.FLOAT64, b.dtype());
            assertSame(DType.FLOAT64, Matrix.allocate(arena, 1, 1).dtype());
            assertSame(DType.FLOAT64, Matrix.wrap(arena.allocate(8 * 6, 8), 2, 3, 3).dtype());
            assertEquals(8 * 6, a.segment().byteSize());
            assertEquals("Matrix[2×3]", a.toString(), "float64 matrices print as before float32 existed");
            assertEquals("2×3 float64", a.describe());
        }
    }

    @Test
    void float32AllocatesFourBytesAnElementZeroedAndAligned() {
        try (Matrix m = Matrix.allocate(3, 5, DType.FLOAT32); Arena arena = Arena.ofConfined()) {
            assertSame(DType.FLOAT32, m.dtype());
            assertEquals(0, m.segment().address() % Matrix.ALIGNMENT);
            assertEquals(4 * 15, m.segment().byteSize());
            assertEquals(5, m.stride());
            assertArrayEquals(new double[15], m.toArray());
            m.set(1, 2, 7.5);
            assertEquals(7.5f, m.segment().getAtIndex(ValueLayout.JAVA_FLOAT, 1 * 5 + 2), "element (1, 2) is float 7 of the segment");
            assertEquals(0.0f, m.segment().getAtIndex(ValueLayout.JAVA_FLOAT, 1 * 5 + 3));
            Matrix borrowed = Matrix.allocate(arena, 4, 2, DType.FLOAT32);
            assertSame(DType.FLOAT32, borrowed.dtype());
            assertEquals(4 * 8, borrowed.segment().byteSize());
            assertEquals(0, borrowed.segment().address() % Matrix.ALIGNMENT);
            assertArrayEquals(new double[8], borrowed.toArray());
            assertThrows(IllegalArgumentException.class, () -> Matrix.allocate(2, 2, null));
            assertThrows(IllegalArgumentException.class, () -> Matrix.allocate(-1, 2, DType.FLOAT32));
        }
    }

    @Test
    void float32WritesRoundToTheNearestFloatAndReadsWiden() {
        double halfway = 1 + 0x1p-24; // exactly between 1 and the next float, 1 + 2^−23: ties go to the even 1
        double aboveHalfway = Math.nextUp(halfway);
        double[] written = {0.1, -1.0 / 3, halfway, aboveHalfway, 1e40, -1e40, 1e-50, Double.MIN_VALUE, 0x1p-149 * 0.75,
                Float.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY, -0.0};
        try (Matrix m = Matrix.allocate(1, written.length, DType.FLOAT32)) {
            for (int j = 0; j < written.length; j++) {
                m.set(0, j, written[j]);
                assertEquals((double) (float) written[j], m.get(0, j), "set then get of " + written[j]);
                assertEquals(Float.floatToRawIntBits((float) written[j]), Float.floatToRawIntBits(m.segment().getAtIndex(ValueLayout.JAVA_FLOAT, j)),
                        "the bits stored for " + written[j]);
            }
            assertEquals(1.0, m.get(0, 2), "ties to even");
            assertEquals(1 + 0x1p-23, m.get(0, 3), "just above the tie rounds up");
            assertNotEquals(0.1, m.get(0, 0), "0.1 is not a float: the matrix holds the float nearest to it");
            assertEquals(Double.POSITIVE_INFINITY, m.get(0, 4), "beyond the float range rounds to infinity");
            assertEquals(0.0, m.get(0, 6), "below half the least subnormal rounds to zero");
            assertEquals(0x1p-149, m.get(0, 8), "three quarters of the least subnormal rounds up to it");
            assertEquals(-0.0, m.get(0, 12), "the sign of zero is kept");

            m.copyFrom(written);
            for (int j = 0; j < written.length; j++) {
                assertEquals((double) (float) written[j], m.get(0, j), "copyFrom rounds " + written[j]);
            }
            m.fill(0.1);
            assertArrayEquals(filled(written.length, (float) 0.1), m.toArray(), 0.0, "fill rounds");
        }
        double[][] values = {{0.1, 0.2}, {0.3, halfway}};
        try (Matrix m = Matrix.of(values, DType.FLOAT32)) {
            assertSame(DType.FLOAT32, m.dtype());
            assertArrayEquals(new double[]{(float) 0.1, (float) 0.2}, m.toArray2D()[0], 0.0, "of rounds");
            assertArrayEquals(new double[]{(float) 0.3, 1.0}, m.toArray2D()[1], 0.0);
        }
        assertThrows(IllegalArgumentException.class, () -> Matrix.of(new double[][]{{1, 2}, {3}}, DType.FLOAT32));
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void float32ViewsKeepTheTypeAndShareMemory() {
        try (Matrix m = Matrix.of(new double[][]{{1, 2}, {3, 4}, {5, 6}, {7, 8}}, DType.FLOAT32)) {
            Matrix v = m.rowView(1, 3);
            assertSame(DType.FLOAT32, v.dtype());
            assertEquals(2, v.rows());
            assertArrayEquals(new double[]{3, 4, 5, 6}, v.toArray());
            assertEquals(4 * 4, v.segment().byteSize(), "a 2×2 float32 view spans 16 bytes");
            assertEquals(m.segment().address() + 4 * 2, v.segment().address(), "row 1 starts 2 floats in");
            v.set(0, 1, 0.1);
            assertEquals((float) 0.1, m.get(1, 1), "the view rounds and writes the parent's memory");
            Matrix vv = v.rowView(1, 2);
            assertSame(DType.FLOAT32, vv.dtype());
            assertArrayEquals(new double[]{5, 6}, vv.toArray());
            assertSame(DType.FLOAT32, m.rowView(4, 4).dtype());
            assertEquals("Matrix[2×2, float32]", v.toString());
            m.close();
            assertThrows(IllegalStateException.class, () -> v.get(0, 0));
        }
    }

    @Test
    void copyFromConvertsBetweenTypes() {
        double[][] values = {{0.1, -2.5, 1e-45}, {1 + 0x1p-24, 3e38, 1e39}};
        try (Matrix d = Matrix.of(values); Matrix f = Matrix.allocate(2, 3, DType.FLOAT32); Matrix back = Matrix.allocate(2, 3);
             Matrix other = Matrix.allocate(3, 2)) {
            f.copyFrom(d); // float64 → float32 rounds to the nearest float
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals((double) (float) values[i][j], f.get(i, j), "rounded (" + i + ", " + j + ")");
                }
            }
            back.copyFrom(f); // float32 → float64 is exact
            assertArrayEquals(f.toArray(), back.toArray(), 0.0);
            assertEquals(Double.POSITIVE_INFINITY, back.get(1, 2));
            assertThrows(IllegalArgumentException.class, () -> f.copyFrom(other), "the shapes must match across types too");
        }
        // Between views with strides: a float32 column block of a wider matrix into a float64 one and back.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment wide = arena.allocate(4 * 3 * 5, 64);
            Matrix f = Matrix.wrap(wide, 3, 2, 5, DType.FLOAT32);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 5; j++) {
                    wide.setAtIndex(ValueLayout.JAVA_FLOAT, i * 5L + j, -1);
                }
            }
            Matrix d = Matrix.allocate(arena, 3, 2);
            d.copyFrom(new double[]{0.1, 0.2, 0.3, 0.4, 0.5, 0.6});
            f.copyFrom(d);
            assertArrayEquals(new double[]{(float) 0.1, (float) 0.2, (float) 0.3, (float) 0.4, (float) 0.5, (float) 0.6}, f.toArray(), 0.0);
            for (int i = 0; i < 3; i++) {
                for (int j = 2; j < 5; j++) {
                    assertEquals(-1f, wide.getAtIndex(ValueLayout.JAVA_FLOAT, i * 5L + j), "padding (" + i + ", " + j + ") untouched");
                }
            }
            Matrix g = Matrix.allocate(arena, 3, 2, DType.FLOAT32);
            g.copyFrom(f); // same type, strided source: bytes copied row by row
            assertArrayEquals(f.toArray(), g.toArray(), 0.0);
            Matrix e = Matrix.allocate(arena, 3, 2);
            e.copyFrom(f.rowView(0, 3));
            assertArrayEquals(f.toArray(), e.toArray(), 0.0);
        }
    }

    @Test
    void wrapCountsSizeStrideAndAlignmentInTheTypesBytes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment six = arena.allocate(4 * 6, 64); // room for 6 floats, only 3 doubles
            Matrix f = Matrix.wrap(six, 2, 3, 3, DType.FLOAT32);
            assertSame(DType.FLOAT32, f.dtype());
            f.set(1, 2, 2.5);
            assertEquals(2.5f, six.getAtIndex(ValueLayout.JAVA_FLOAT, 5));
            IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> Matrix.wrap(six, 2, 3, 3));
            assertTrue(small.getMessage().contains("needs 48 bytes but the segment has 24"), small.getMessage());
            IllegalArgumentException short32 = assertThrows(IllegalArgumentException.class,
                    () -> Matrix.wrap(six.asSlice(0, 20), 2, 3, 3, DType.FLOAT32));
            assertTrue(short32.getMessage().contains("needs 24 bytes but the segment has 20"), short32.getMessage());
            // The stride is in floats: 2 rows of 3 with stride 4 need (4 + 3)·4 = 28 bytes.
            MemorySegment seven = arena.allocate(4 * 7, 64);
            Matrix strided = Matrix.wrap(seven, 2, 3, 4, DType.FLOAT32);
            strided.set(1, 0, 9);
            assertEquals(9f, seven.getAtIndex(ValueLayout.JAVA_FLOAT, 4));
            assertEquals("Matrix[2×3, float32, stride 4]", strided.toString());
            assertThrows(IllegalArgumentException.class, () -> Matrix.wrap(seven.asSlice(0, 24), 2, 3, 4, DType.FLOAT32));
            assertThrows(IllegalArgumentException.class, () -> Matrix.wrap(seven, 2, 3, 2, DType.FLOAT32));
            // Alignment to the element: 4 bytes in is fine for floats, not for doubles; 2 bytes in is fine for neither.
            MemorySegment big = arena.allocate(64, 64);
            assertSame(DType.FLOAT32, Matrix.wrap(big.asSlice(4), 2, 3, 3, DType.FLOAT32).dtype());
            IllegalArgumentException d4 = assertThrows(IllegalArgumentException.class, () -> Matrix.wrap(big.asSlice(4), 2, 3, 3));
            assertTrue(d4.getMessage().contains("not aligned to 8 bytes, as float64 needs"), d4.getMessage());
            IllegalArgumentException f2 = assertThrows(IllegalArgumentException.class,
                    () -> Matrix.wrap(big.asSlice(2), 2, 3, 3, DType.FLOAT32));
            assertTrue(f2.getMessage().contains("not aligned to 4 bytes, as float32 needs"), f2.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Matrix.wrap(big, 2, 3, 3, null));
        }
    }

    @Test
    void float32ToStringAndDescribe() {
        Matrix m = Matrix.allocate(2, 3, DType.FLOAT32);
        assertEquals("Matrix[2×3, float32]", m.toString());
        assertEquals("2×3 float32", m.describe());
        m.close();
        assertEquals("Matrix[2×3, float32, closed]", m.toString());
    }

    @Test
    void dtypeNamesSizesAndParsing() {
        assertEquals(4, DType.FLOAT32.bytes());
        assertEquals(8, DType.FLOAT64.bytes());
        assertEquals("float32", DType.FLOAT32.toString());
        assertEquals("<f4", DType.FLOAT32.numpyDescr());
        assertEquals("<f8", DType.FLOAT64.numpyDescr());
        assertEquals(ValueLayout.JAVA_FLOAT, DType.FLOAT32.layout());
        assertEquals(ValueLayout.JAVA_DOUBLE, DType.FLOAT64.layout());
        assertSame(DType.FLOAT32, DType.parse(" Float32 "));
        assertSame(DType.FLOAT32, DType.parse("f32"));
        assertSame(DType.FLOAT64, DType.parse("FLOAT64"));
        assertSame(DType.FLOAT64, DType.parse("double"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DType.parse("float16"));
        assertTrue(e.getMessage().contains("'float16'") && e.getMessage().contains("float32 or float64"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DType.parse(null));
    }
}

package io.github.panamamlp.tensor;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
}

package io.github.panamamlp.bench;

import io.github.panamamlp.reference.TestUtil;
import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.blas.Transpose;
import io.github.panamamlp.tensor.DType;
import io.github.panamamlp.tensor.Matrix;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The timing decorator computes exactly what its delegate computes, and counts every product. */
class TimingBlasTest {

    @Test
    void forwardsProductsUnchangedAndCountsThem() {
        Random rnd = new Random(5);
        TimingBlas timed = new TimingBlas(Blas.openBlas());
        try (Matrix a = Matrix.of(TestUtil.random(rnd, 40, 30)); Matrix b = Matrix.of(TestUtil.random(rnd, 30, 20));
             Matrix expected = Matrix.allocate(40, 20); Matrix actual = Matrix.allocate(40, 20)) {
            Blas.openBlas().gemm(1.5, a, false, b, false, 0.0, expected);
            timed.gemm(1.5, a, false, b, false, 0.0, actual);
            assertArrayEquals(expected.toArray(), actual.toArray(), 0.0, "gemm through the decorator");
            assertEquals(1, timed.calls());
            long afterOne = timed.nanos();
            assertTrue(afterOne > 0, "the time of a 40×20×30 product is positive");

            timed.dgemm(Transpose.NO, Transpose.NO, 40, 20, 30, 1.5, a.segment(), 0, 30, b.segment(), 0, 20, 0.0, actual.segment(), 0, 20);
            assertArrayEquals(expected.toArray(), actual.toArray(), 0.0, "dgemm through the decorator");
            assertEquals(2, timed.calls());
            assertTrue(timed.nanos() > afterOne);

            timed.reset();
            assertEquals(0, timed.calls());
            assertEquals(0, timed.nanos());
        }
    }

    @Test
    void forwardsFloat32ProductsUnchangedAndCountsThem() {
        Random rnd = new Random(6);
        TimingBlas timed = new TimingBlas(Blas.openBlas());
        try (Matrix a = Matrix.of(TestUtil.random(rnd, 40, 30), DType.FLOAT32);
             Matrix b = Matrix.of(TestUtil.random(rnd, 30, 20), DType.FLOAT32);
             Matrix expected = Matrix.allocate(40, 20, DType.FLOAT32); Matrix actual = Matrix.allocate(40, 20, DType.FLOAT32)) {
            Blas.openBlas().gemm(1.5, a, false, b, false, 0.0, expected);
            timed.gemm(1.5, a, false, b, false, 0.0, actual);
            assertArrayEquals(expected.toArray(), actual.toArray(), 0.0, "float32 gemm through the decorator");
            assertEquals(1, timed.calls());
            long afterOne = timed.nanos();
            assertTrue(afterOne > 0, "the time of a 40×20×30 product is positive");

            actual.fill(0);
            timed.sgemm(Transpose.NO, Transpose.NO, 40, 20, 30, 1.5f, a.segment(), 0, 30, b.segment(), 0, 20, 0.0f, actual.segment(), 0, 20);
            assertArrayEquals(expected.toArray(), actual.toArray(), 0.0, "sgemm through the decorator");
            assertEquals(2, timed.calls());
            assertTrue(timed.nanos() > afterOne);
        }
    }

    @Test
    void failedCallsPropagateAndAreStillCounted() {
        TimingBlas timed = new TimingBlas(Blas.java());
        try (Matrix a = Matrix.allocate(3, 4); Matrix c = Matrix.allocate(3, 3)) {
            assertThrows(IllegalArgumentException.class, () -> timed.gemm(1, a, false, a, false, 0, c));
            assertEquals(1, timed.calls());
        }
        assertEquals("timed java", timed.name().replace("timed " + Blas.java().name(), "timed java"));
        assertThrows(NullPointerException.class, () -> new TimingBlas(null));
    }
}

package io.github.panamamlp.bench;

import io.github.panamamlp.train.Adam;
import io.github.panamamlp.train.Optimizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The kernels written for C2 to vectorise (the Adam update, staged through heap chunks) against the plain loops they
 * replace, written out here once more: the results must be bit-identical (Java never reorders or fuses
 * floating-point operations, vectorised or not).
 */
class FastKernelsTest {

    /** Runs the kernels long enough for C2 to compile (and vectorise) them, so the comparisons test that code. */
    @BeforeAll
    static void warmUp() {
        try (Arena arena = Arena.ofConfined()) {
            int n = 39_760;
            MemorySegment params = arena.allocate((long) n * Double.BYTES, 64);
            MemorySegment grads = arena.allocate((long) n * Double.BYTES, 64);
            grads.fill((byte) 1);
            Optimizer.Updater adam = new Adam().newUpdater(arena, n);
            for (int i = 0; i < 300; i++) {
                adam.update(params, grads);
            }
        }
    }

    /** Sizes around the update's chunk of 256, and the network's 39,760 parameters. */
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 255, 256, 257, 513, 39_760})
    void adamMatchesTheTextbookLoopBitForBit(int n) {
        Random rnd = new Random(n);
        double lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-7;
        double[] p = new double[n];
        double[] m = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = rnd.nextGaussian();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = arena.allocate((long) n * Double.BYTES, 64);
            MemorySegment grads = arena.allocate((long) n * Double.BYTES, 64);
            MemorySegment.copy(p, 0, params, ValueLayout.JAVA_DOUBLE, 0, n);
            Optimizer.Updater fast = new Adam(lr, b1, b2, eps).newUpdater(arena, n);
            for (int t = 1; t <= 5; t++) {
                double[] g = new double[n];
                for (int i = 0; i < n; i++) {
                    // Some exact zeros and a wide range of magnitudes, as real gradients have.
                    g[i] = i % 11 == 0 ? 0.0 : rnd.nextGaussian() * Math.pow(10, -rnd.nextInt(8));
                }
                MemorySegment.copy(g, 0, grads, ValueLayout.JAVA_DOUBLE, 0, n);
                fast.update(params, grads);

                double lrT = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
                for (int i = 0; i < n; i++) {
                    m[i] = b1 * m[i] + (1 - b1) * g[i];
                    v[i] = b2 * v[i] + (1 - b2) * (g[i] * g[i]);
                    p[i] = p[i] - lrT * m[i] / (Math.sqrt(v[i]) + eps);
                }
                assertArrayEquals(p, params.toArray(ValueLayout.JAVA_DOUBLE), 0.0, "parameters after step " + t);
            }
            assertEquals(5, fast.steps());
        }
    }
}

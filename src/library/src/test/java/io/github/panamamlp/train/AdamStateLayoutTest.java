package io.github.panamamlp.train;

import io.github.panamamlp.tensor.DType;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Adam keeps its moments on the heap for small models and in native memory for large ones: both layouts
 * must give bit-identical parameters, equal to the plain loop.
 */
class AdamStateLayoutTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 255, 256, 257, 39_760})
    void heapAndNativeMomentsGiveTheSameParameters(int n) {
        Adam adam = new Adam(1e-3);
        Random rnd = new Random(n);
        double[] p0 = new double[n];
        for (int i = 0; i < n; i++) {
            p0[i] = rnd.nextGaussian();
        }
        double[] expected = p0.clone();
        double[] m = new double[n];
        double[] v = new double[n];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment heapParams = arena.allocate((long) n * Double.BYTES, 64);
            MemorySegment nativeParams = arena.allocate((long) n * Double.BYTES, 64);
            MemorySegment grads = arena.allocate((long) n * Double.BYTES, 64);
            MemorySegment.copy(p0, 0, heapParams, ValueLayout.JAVA_DOUBLE, 0, n);
            MemorySegment.copy(p0, 0, nativeParams, ValueLayout.JAVA_DOUBLE, 0, n);
            Optimizer.Updater onHeap = adam.newUpdater(arena, n, DType.FLOAT64, Long.MAX_VALUE);
            Optimizer.Updater offHeap = adam.newUpdater(arena, n, DType.FLOAT64, 0);
            for (int t = 1; t <= 4; t++) {
                double[] g = new double[n];
                for (int i = 0; i < n; i++) {
                    g[i] = rnd.nextGaussian() * 1e-2;
                }
                MemorySegment.copy(g, 0, grads, ValueLayout.JAVA_DOUBLE, 0, n);
                onHeap.update(heapParams, grads);
                offHeap.update(nativeParams, grads);
                double lrT = 1e-3 * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
                for (int i = 0; i < n; i++) {
                    m[i] = 0.9 * m[i] + (1 - 0.9) * g[i];
                    v[i] = 0.999 * v[i] + (1 - 0.999) * (g[i] * g[i]);
                    expected[i] = expected[i] - lrT * m[i] / (Math.sqrt(v[i]) + 1e-7);
                }
                assertArrayEquals(expected, heapParams.toArray(ValueLayout.JAVA_DOUBLE), 0.0, "moments on the heap, step " + t);
                assertArrayEquals(expected, nativeParams.toArray(ValueLayout.JAVA_DOUBLE), 0.0, "moments in the arena, step " + t);
            }
        }
    }

    /** The same for float32: moments on the heap and in the arena give the same bits, and the update runs in float. */
    @ParameterizedTest
    @ValueSource(ints = {1, 1023, 1024, 1025, 39_760})
    void float32HeapAndNativeMomentsGiveTheSameParameters(int n) {
        Adam adam = new Adam(1e-3);
        Random rnd = new Random(n);
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) {
            expected[i] = (float) rnd.nextGaussian();
        }
        float[] m = new float[n];
        float[] v = new float[n];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment heapParams = arena.allocate((long) n * Float.BYTES, 64);
            MemorySegment nativeParams = arena.allocate((long) n * Float.BYTES, 64);
            MemorySegment grads = arena.allocate((long) n * Float.BYTES, 64);
            MemorySegment.copy(expected, 0, heapParams, ValueLayout.JAVA_FLOAT, 0, n);
            MemorySegment.copy(expected, 0, nativeParams, ValueLayout.JAVA_FLOAT, 0, n);
            Optimizer.Updater onHeap = adam.newUpdater(arena, n, DType.FLOAT32, Long.MAX_VALUE);
            Optimizer.Updater offHeap = adam.newUpdater(arena, n, DType.FLOAT32, 0);
            for (int t = 1; t <= 4; t++) {
                float[] g = new float[n];
                for (int i = 0; i < n; i++) {
                    g[i] = (float) (rnd.nextGaussian() * 1e-2);
                }
                MemorySegment.copy(g, 0, grads, ValueLayout.JAVA_FLOAT, 0, n);
                onHeap.update(heapParams, grads);
                offHeap.update(nativeParams, grads);
                float lrT = (float) (1e-3 * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t)));
                float b1 = 0.9f, b2 = 0.999f, c1 = (float) (1 - 0.9), c2 = (float) (1 - 0.999), eps = 1e-7f;
                for (int i = 0; i < n; i++) {
                    m[i] = b1 * m[i] + c1 * g[i];
                    v[i] = b2 * v[i] + c2 * (g[i] * g[i]);
                    expected[i] = expected[i] - lrT * m[i] / ((float) Math.sqrt(v[i]) + eps);
                }
                assertArrayEquals(expected, heapParams.toArray(ValueLayout.JAVA_FLOAT), 0f, "moments on the heap, step " + t);
                assertArrayEquals(expected, nativeParams.toArray(ValueLayout.JAVA_FLOAT), 0f, "moments in the arena, step " + t);
            }
        }
    }
}

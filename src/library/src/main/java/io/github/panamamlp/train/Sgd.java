package io.github.panamamlp.train;

import io.github.panamamlp.tensor.DType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Plain stochastic gradient descent: p −= lr·g (the tutorial's numpy loop uses lr 0.1).
 *
 * @param learningRate lr, positive and finite
 */
public record Sgd(double learningRate) implements Optimizer {
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    /**
     * Checks the learning rate.
     *
     * @throws IllegalArgumentException if it is not positive and finite
     */
    public Sgd {
        Adam.checkRate(learningRate);
    }

    @Override
    public String describe() {
        return "sgd(lr=" + learningRate + ")";
    }

    /**
     * {@inheritDoc}
     *
     * <p>Chunk by chunk through heap arrays, where C2 vectorises the loop (it does not over segments; see
     * {@link Adam}): UpdateBenchmark (39,760 parameters, AMD EPYC 2-vCPU, JDK 25) took 17 µs (float64) and
     * 30 µs (float32) over the segments, 16 µs and 7.8 µs this way (float64 is bound by memory traffic, 24 bytes
     * a parameter). A float32 model's update runs in float.
     */
    @Override
    public Updater newUpdater(Arena arena, long parameterCount, DType dtype) {
        return new Updater() {
            final double[] p64 = dtype == DType.FLOAT64 ? new double[Adam.CHUNK] : null;
            final double[] g64 = dtype == DType.FLOAT64 ? new double[Adam.CHUNK] : null;
            final float[] p32 = dtype == DType.FLOAT32 ? new float[Adam.CHUNK] : null;
            final float[] g32 = dtype == DType.FLOAT32 ? new float[Adam.CHUNK] : null;
            long steps;

            @Override
            public void update(MemorySegment params, MemorySegment grads) {
                Optimizer.checkBlock("parameters", params, parameterCount, dtype);
                Optimizer.checkBlock("gradients", grads, parameterCount, dtype);
                for (long start = 0; start < parameterCount; start += Adam.CHUNK) {
                    int len = (int) Math.min(Adam.CHUNK, parameterCount - start);
                    if (dtype == DType.FLOAT64) {
                        long offset = start * Double.BYTES;
                        MemorySegment.copy(params, D, offset, p64, 0, len);
                        MemorySegment.copy(grads, D, offset, g64, 0, len);
                        double lr = learningRate;
                        for (int i = 0; i < len; i++) {
                            p64[i] = p64[i] - lr * g64[i];
                        }
                        MemorySegment.copy(p64, 0, params, D, offset, len);
                    } else {
                        long offset = start * Float.BYTES;
                        MemorySegment.copy(params, F, offset, p32, 0, len);
                        MemorySegment.copy(grads, F, offset, g32, 0, len);
                        float lr = (float) learningRate;
                        for (int i = 0; i < len; i++) {
                            p32[i] = p32[i] - lr * g32[i];
                        }
                        MemorySegment.copy(p32, 0, params, F, offset, len);
                    }
                }
                steps++;
            }

            @Override
            public long steps() {
                return steps;
            }
        };
    }
}

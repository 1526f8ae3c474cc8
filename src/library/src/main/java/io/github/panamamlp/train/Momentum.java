package io.github.panamamlp.train;

import io.github.panamamlp.tensor.DType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * SGD with momentum, as Keras: v = μ·v − lr·g; p += v (v starts at 0).
 *
 * @param learningRate lr, positive and finite
 * @param momentum     μ, in [0, 1)
 */
public record Momentum(double learningRate, double momentum) implements Optimizer {
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a value is outside its range
     */
    public Momentum {
        Adam.checkRate(learningRate);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
    }

    @Override
    public String describe() {
        return "momentum(lr=" + learningRate + ", μ=" + momentum + ")";
    }

    /**
     * {@inheritDoc}
     *
     * <p>The velocity has the parameters' type, in {@code arena}; the update runs chunk by chunk through heap
     * arrays, where C2 vectorises it (see {@link Sgd}). A float32 model's update runs in float.
     */
    @Override
    public Updater newUpdater(Arena arena, long parameterCount, DType dtype) {
        MemorySegment velocity = arena.allocate(parameterCount * dtype.bytes(), 64);
        boolean f64 = dtype == DType.FLOAT64;
        return new Updater() {
            final double[] p64 = f64 ? new double[Adam.CHUNK] : null;
            final double[] g64 = f64 ? new double[Adam.CHUNK] : null;
            final double[] v64 = f64 ? new double[Adam.CHUNK] : null;
            final float[] p32 = f64 ? null : new float[Adam.CHUNK];
            final float[] g32 = f64 ? null : new float[Adam.CHUNK];
            final float[] v32 = f64 ? null : new float[Adam.CHUNK];
            long steps;

            @Override
            public void update(MemorySegment params, MemorySegment grads) {
                Optimizer.checkBlock("parameters", params, parameterCount, dtype);
                Optimizer.checkBlock("gradients", grads, parameterCount, dtype);
                for (long start = 0; start < parameterCount; start += Adam.CHUNK) {
                    int len = (int) Math.min(Adam.CHUNK, parameterCount - start);
                    if (f64) {
                        long offset = start * Double.BYTES;
                        MemorySegment.copy(params, D, offset, p64, 0, len);
                        MemorySegment.copy(grads, D, offset, g64, 0, len);
                        MemorySegment.copy(velocity, D, offset, v64, 0, len);
                        double lr = learningRate, mu = momentum;
                        for (int i = 0; i < len; i++) {
                            double v = mu * v64[i] - lr * g64[i];
                            v64[i] = v;
                            p64[i] = p64[i] + v;
                        }
                        MemorySegment.copy(v64, 0, velocity, D, offset, len);
                        MemorySegment.copy(p64, 0, params, D, offset, len);
                    } else {
                        long offset = start * Float.BYTES;
                        MemorySegment.copy(params, F, offset, p32, 0, len);
                        MemorySegment.copy(grads, F, offset, g32, 0, len);
                        MemorySegment.copy(velocity, F, offset, v32, 0, len);
                        float lr = (float) learningRate, mu = (float) momentum;
                        for (int i = 0; i < len; i++) {
                            float v = mu * v32[i] - lr * g32[i];
                            v32[i] = v;
                            p32[i] = p32[i] + v;
                        }
                        MemorySegment.copy(v32, 0, velocity, F, offset, len);
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

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

    @Override
    public Updater newUpdater(Arena arena, long parameterCount, DType dtype) {
        MemorySegment velocity = arena.allocate(parameterCount * Double.BYTES, 64);
        return new Updater() {
            long steps;

            @Override
            public void update(MemorySegment params, MemorySegment grads) {
                Optimizer.checkBlock("parameters", params, parameterCount, dtype);
                Optimizer.checkBlock("gradients", grads, parameterCount, dtype);
                double lr = learningRate, mu = momentum;
                if (dtype == DType.FLOAT64) {
                    for (long i = 0; i < parameterCount; i++) {
                        double v = mu * velocity.getAtIndex(D, i) - lr * grads.getAtIndex(D, i);
                        velocity.setAtIndex(D, i, v);
                        params.setAtIndex(D, i, params.getAtIndex(D, i) + v);
                    }
                } else {
                    // The velocity stays in double (see Optimizer.newUpdater); only the parameter is rounded.
                    for (long i = 0; i < parameterCount; i++) {
                        double v = mu * velocity.getAtIndex(D, i) - lr * grads.getAtIndex(F, i);
                        velocity.setAtIndex(D, i, v);
                        params.setAtIndex(F, i, (float) (params.getAtIndex(F, i) + v));
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

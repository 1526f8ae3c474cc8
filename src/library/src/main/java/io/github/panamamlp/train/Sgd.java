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

    @Override
    public Updater newUpdater(Arena arena, long parameterCount, DType dtype) {
        return new Updater() {
            long steps;

            @Override
            public void update(MemorySegment params, MemorySegment grads) {
                Optimizer.checkBlock("parameters", params, parameterCount, dtype);
                Optimizer.checkBlock("gradients", grads, parameterCount, dtype);
                double lr = learningRate;
                if (dtype == DType.FLOAT64) {
                    for (long i = 0; i < parameterCount; i++) {
                        params.setAtIndex(D, i, params.getAtIndex(D, i) - lr * grads.getAtIndex(D, i));
                    }
                } else {
                    for (long i = 0; i < parameterCount; i++) {
                        params.setAtIndex(F, i, (float) (params.getAtIndex(F, i) - lr * grads.getAtIndex(F, i)));
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

package io.github.panamamlp.train;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Adam with Keras's bias correction: at step t,
 * m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; lr_t = lr·√(1−β2^t)/(1−β1^t); p −= lr_t·m/(√v + ε).
 * ε is added to √v unscaled, as Keras does (not to the bias-corrected √v̂ as in the paper).
 *
 * @param learningRate lr, positive and finite
 * @param beta1        the decay of the first moment m, in [0, 1)
 * @param beta2        the decay of the second moment v, in [0, 1)
 * @param epsilon      added to √v, positive and finite
 */
public record Adam(double learningRate, double beta1, double beta2, double epsilon) implements Optimizer {
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

    /** Keras's defaults: lr 1e-3, β1 0.9, β2 0.999, ε 1e-7. */
    public Adam() {
        this(1e-3, 0.9, 0.999, 1e-7);
    }

    /**
     * Keras's defaults with another learning rate.
     *
     * @param learningRate lr, positive and finite
     */
    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-7);
    }

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a value is outside its range
     */
    public Adam {
        checkRate(learningRate);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam's β1 and β2 must be in [0, 1), got " + beta1 + " and " + beta2);
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("Adam's ε must be positive, got " + epsilon);
        }
    }

    static void checkRate(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + lr);
        }
    }

    @Override
    public String describe() {
        return "adam(lr=" + learningRate + ", β1=" + beta1 + ", β2=" + beta2 + ", ε=" + epsilon + ")";
    }

    @Override
    public Updater newUpdater(Arena arena, long parameterCount) {
        MemorySegment m = arena.allocate(parameterCount * Double.BYTES, 64);
        MemorySegment v = arena.allocate(parameterCount * Double.BYTES, 64);
        return new Updater() {
            long t;

            @Override
            public void update(MemorySegment params, MemorySegment grads) {
                Optimizer.checkBlock("parameters", params, parameterCount);
                Optimizer.checkBlock("gradients", grads, parameterCount);
                t++;
                double b1 = beta1, b2 = beta2, eps = epsilon;
                double lrT = learningRate * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
                double c1 = 1 - b1, c2 = 1 - b2;
                for (long i = 0; i < parameterCount; i++) {
                    double g = grads.getAtIndex(D, i);
                    double mi = b1 * m.getAtIndex(D, i) + c1 * g;
                    double vi = b2 * v.getAtIndex(D, i) + c2 * (g * g);
                    m.setAtIndex(D, i, mi);
                    v.setAtIndex(D, i, vi);
                    params.setAtIndex(D, i, params.getAtIndex(D, i) - lrT * mi / (Math.sqrt(vi) + eps));
                }
            }

            @Override
            public long steps() {
                return t;
            }
        };
    }
}

package io.github.panamamlp.nn;

import io.github.panamamlp.tensor.Matrix;

import java.util.Random;

/** How a dense layer's weights are drawn; biases always start at zero. */
public sealed interface Init {

    /**
     * Normal with mean 0 and standard deviation sigma (the tutorial uses 0.1 or 0.01).
     *
     * @param sigma the standard deviation, positive and finite
     * @return the initialization
     * @throws IllegalArgumentException if sigma is not positive and finite
     */
    static Init normal(double sigma) {
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("normal init needs a positive finite sigma, got " + sigma);
        }
        return new Normal(sigma);
    }

    /** {@return uniform in ±sqrt(6 / (fan_in + fan_out)): Keras's default for Dense} */
    static Init glorotUniform() {
        return new GlorotUniform();
    }

    /**
     * Fills W row by row from rnd.
     *
     * @param w   the weights, fan_in×fan_out
     * @param rnd the source of randomness (seeded for reproducible weights)
     */
    void fill(Matrix w, Random rnd);

    /**
     * Normal(0, sigma²).
     *
     * @param sigma the standard deviation
     */
    record Normal(double sigma) implements Init {
        @Override
        public void fill(Matrix w, Random rnd) {
            for (int i = 0; i < w.rows(); i++) {
                for (int j = 0; j < w.cols(); j++) {
                    w.set(i, j, sigma * rnd.nextGaussian());
                }
            }
        }

        @Override
        public String toString() {
            return "normal(σ=" + sigma + ")";
        }
    }

    /** Glorot (Xavier) uniform. */
    record GlorotUniform() implements Init {
        @Override
        public void fill(Matrix w, Random rnd) {
            double limit = Math.sqrt(6.0 / (w.rows() + w.cols()));
            for (int i = 0; i < w.rows(); i++) {
                for (int j = 0; j < w.cols(); j++) {
                    w.set(i, j, (2 * rnd.nextDouble() - 1) * limit);
                }
            }
        }

        @Override
        public String toString() {
            return "glorot-uniform";
        }
    }
}

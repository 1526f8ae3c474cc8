package io.github.panamamlp.data;

import java.util.Arrays;

/**
 * Per-feature standardization {@code (x − mean) / std}: the statistics of a training set, applied to every
 * row the model sees afterwards (training, evaluation and prediction alike), so that features of very
 * different scales train as well as features around 0 of size 1.
 *
 * <p>Take the statistics from the training split only ({@link ArrayDataset#standardization()} on
 * {@code split.train()}), never from data the model is tested on. A model built with
 * {@code Model.builder(n).standardize(s)} applies them to raw rows itself and stores them in its file.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class Standardization {
    private final double[] mean;
    private final double[] std;

    private Standardization(double[] mean, double[] std) {
        this.mean = mean;
        this.std = std;
    }

    /**
     * Statistics given explicitly (copied).
     *
     * @param mean the mean of each feature, all finite
     * @param std  the standard deviation of each feature, all finite and positive
     * @return the standardization
     * @throws IllegalArgumentException if the arrays are empty, of different lengths, or hold a value that is
     *                                  not finite (or a std that is not positive), naming the feature
     */
    public static Standardization of(double[] mean, double[] std) {
        if (mean == null || std == null) {
            throw new IllegalArgumentException("mean and std must not be null");
        }
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("mean and std need one value per feature, got " + mean.length
                    + " and " + std.length);
        }
        for (int j = 0; j < mean.length; j++) {
            if (!Double.isFinite(mean[j])) {
                throw new IllegalArgumentException("the mean of feature " + j + " is " + mean[j]);
            }
            if (!Double.isFinite(std[j]) || std[j] <= 0) {
                throw new IllegalArgumentException("the std of feature " + j + " is " + std[j] + " (must be finite and positive)");
            }
        }
        return new Standardization(mean.clone(), std.clone());
    }

    /**
     * The mean and population standard deviation (numpy's {@code x.std(axis=0)}, scikit-learn's
     * {@code StandardScaler}) of each of the {@code features} columns of {@code values} (row-major). A
     * constant column gets std 1, so it standardizes to 0 instead of dividing by 0.
     */
    static Standardization ofRows(double[] values, int count, int features) {
        double[] mean = new double[features];
        double[] std = new double[features];
        for (int i = 0; i < count; i++) {
            int base = i * features;
            for (int j = 0; j < features; j++) {
                mean[j] += values[base + j];
            }
        }
        for (int j = 0; j < features; j++) {
            mean[j] /= count;
        }
        // Two passes: the sum of squared deviations, not E[x²] − E[x]², which cancels badly.
        for (int i = 0; i < count; i++) {
            int base = i * features;
            for (int j = 0; j < features; j++) {
                double d = values[base + j] - mean[j];
                std[j] += d * d;
            }
        }
        for (int j = 0; j < features; j++) {
            double s = Math.sqrt(std[j] / count);
            std[j] = s > 0 && Double.isFinite(s) ? s : 1.0;
            if (!Double.isFinite(mean[j])) {
                throw new IllegalArgumentException("the mean of feature " + j + " overflows: its values are too large");
            }
        }
        return new Standardization(mean, std);
    }

    /** {@return the number of features} */
    public int features() {
        return mean.length;
    }

    /** {@return the mean of each feature (a copy)} */
    public double[] mean() {
        return mean.clone();
    }

    /** {@return the standard deviation of each feature (a copy); every value is positive} */
    public double[] std() {
        return std.clone();
    }

    /**
     * One row standardized.
     *
     * @param row {@link #features()} raw values
     * @return a new array holding {@code (row[j] − mean[j]) / std[j]}
     * @throws IllegalArgumentException if the row does not have {@link #features()} values
     */
    public double[] apply(double[] row) {
        if (row.length != mean.length) {
            throw new IllegalArgumentException("the row has " + row.length + " values but the standardization has "
                    + mean.length + " features");
        }
        double[] out = new double[row.length];
        for (int j = 0; j < row.length; j++) {
            out[j] = (row[j] - mean[j]) / std[j];
        }
        return out;
    }

    /** {@return true if {@code o} is a standardization with the same means and standard deviations} */
    @Override
    public boolean equals(Object o) {
        return o instanceof Standardization s && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Standardization[" + mean.length + " features]";
    }
}

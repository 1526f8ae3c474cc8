package io.github.panamamlp.bench;

import java.util.List;

/** The order statistics every part of the benchmark reports: median, quartiles, and the spread they give. */
final class Stats {
    private Stats() {
    }

    /** The p-quantile with linear interpolation between the closest ranks (p = 0.5 is the median); NaN when empty. */
    static double quantile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double pos = (v.length - 1) * p;
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, v.length - 1);
        return v[lo] + (v[hi] - v[lo]) * (pos - lo);
    }

    /** The median (the mean of the middle two for an even count); NaN when empty. */
    static double median(List<Double> values) {
        return quantile(values, 0.5);
    }

    /**
     * How noisy a sample is: its interquartile range over its median (0 when all values agree, NaN when empty).
     * A difference smaller than this is not one the sample can show.
     */
    static double relativeSpread(List<Double> values) {
        return (quantile(values, 0.75) - quantile(values, 0.25)) / median(values);
    }
}

package io.github.panamamlp.data;

import java.util.Random;

/**
 * Users' data as the issue tried it: Gaussian blobs, one per class, in a few dimensions, as plain
 * {@code double[][]} and {@code int[]}. The centres sit far from the origin and the features have very
 * different scales, so standardization matters.
 */
public final class Blobs {
    private Blobs() {
    }

    /** {@code n} rows of {@code dims} features in {@code classes} blobs, seeded. */
    public static double[][] features(int n, int dims, int classes, long seed) {
        Random centres = new Random(seed);
        double[][] centre = new double[classes][dims];
        for (double[] c : centre) {
            for (int j = 0; j < dims; j++) {
                c[j] = 50 + 10 * centres.nextGaussian();
            }
        }
        Random rnd = new Random(seed + 1);
        double[][] x = new double[n][dims];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dims; j++) {
                double scale = 1 + j; // feature j is spread (and placed) j+1 times wider
                x[i][j] = scale * (centre[i % classes][j] + 3 * rnd.nextGaussian());
            }
        }
        return x;
    }

    /** The class of each row of {@link #features}: row i is in blob {@code i % classes}. */
    public static int[] labels(int n, int classes) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % classes;
        }
        return y;
    }

    /** Both, as a dataset. */
    public static ArrayDataset dataset(int n, int dims, int classes, long seed) {
        return ArrayDataset.of(features(n, dims, classes, seed), labels(n, classes));
    }
}

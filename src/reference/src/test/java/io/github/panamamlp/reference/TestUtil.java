package io.github.panamamlp.reference;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.fail;

/** Helpers shared by the tests. */
public final class TestUtil {
    private TestUtil() {
    }

    public static double[][] random(Random rnd, int rows, int cols) {
        double[][] x = new double[rows][cols];
        for (double[] row : x) {
            for (int j = 0; j < cols; j++) {
                row[j] = rnd.nextGaussian();
            }
        }
        return x;
    }

    /** max |a−b| / max(1, max |b|): relative to the scale of the expected values. */
    public static double relativeError(double[][] actual, double[][] expected) {
        if (actual.length != expected.length) {
            fail("row count " + actual.length + " != " + expected.length);
        }
        double maxDiff = 0;
        double scale = 1;
        for (int i = 0; i < expected.length; i++) {
            if (actual[i].length != expected[i].length) {
                fail("row " + i + " length " + actual[i].length + " != " + expected[i].length);
            }
            for (int j = 0; j < expected[i].length; j++) {
                double d = Math.abs(actual[i][j] - expected[i][j]);
                if (Double.isNaN(d)) {
                    return Double.NaN;
                }
                maxDiff = Math.max(maxDiff, d);
                scale = Math.max(scale, Math.abs(expected[i][j]));
            }
        }
        return maxDiff / scale;
    }

    public static void assertClose(double[][] actual, double[][] expected, double tol, String what) {
        double err = relativeError(actual, expected);
        if (!(err <= tol)) {
            fail(what + ": relative error " + err + " > " + tol);
        }
    }

    public static void assertClose(double[] actual, double[] expected, double tol, String what) {
        assertClose(new double[][]{actual}, new double[][]{expected}, tol, what);
    }
}

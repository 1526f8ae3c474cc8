package io.github.panamamlp.internal.ops;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The vectorisable e^x against {@link Math#exp}: within 4 units in the last place on [−708, 708]. */
class ExpTest {
    @Test
    void withinFourUlpsOfMathExp() {
        Random rnd = new Random(1);
        int n = 1 << 20;
        double[] x = new double[n];
        double[] v = new double[n];
        double[] k = new double[n];
        for (int i = 0; i < n; i++) {
            // Half over the whole range, half where the network's activations live.
            x[i] = i % 2 == 0 ? (rnd.nextDouble() * 2 - 1) * 708 : rnd.nextGaussian() * 10;
            v[i] = x[i];
        }
        Exp.exp(v, k, n, 1.0);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.exp(x[i]);
            worst = Math.max(worst, Math.abs(v[i] - e) / Math.ulp(e));
        }
        assertTrue(worst <= 4, "worst error " + worst + " ulp");
    }

    @Test
    void edgesAndSigmoid() {
        double[] v = {0, 1, -1, 1000, -1000, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] k = new double[v.length];
        Exp.exp(v, k, v.length, 1.0);
        assertEquals(1.0, v[0]);
        assertEquals(Math.E, v[1], Math.ulp(Math.E) * 2);
        assertEquals(Math.exp(708), v[3], Math.ulp(Math.exp(708)) * 4, "clamped at 708");
        assertTrue(v[4] > 0 && v[4] < 1e-307, "clamped at −708");
        assertTrue(Double.isNaN(v[5]));
        double[] s = {0, 40, -40, 800, -800, Double.NaN};
        Exp.sigmoid(s, k, s.length);
        assertEquals(0.5, s[0]);
        assertEquals(1 / (1 + Math.exp(-40)), s[1], 1e-16);
        assertEquals(1 / (1 + Math.exp(40)), s[2], 1e-30);
        assertEquals(1.0, s[3]);
        assertTrue(s[4] >= 0 && s[4] < 1e-307);
        assertTrue(Double.isNaN(s[5]));
    }
}

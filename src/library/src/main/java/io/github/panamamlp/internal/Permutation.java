package io.github.panamamlp.internal;

import java.util.Random;

/**
 * The order in which an epoch visits the samples: a uniformly random permutation determined only by a seed
 * and the epoch number, so a run repeats exactly.
 *
 * <p>Epoch {@code e} of seed {@code s} is the Fisher–Yates shuffle of {@code 0 … n-1} (for i = n-1 down to 1,
 * swap i with {@code nextInt(i+1)}) driven by {@code new java.util.Random(mix(s, e))}, where {@code mix} is the
 * SplitMix64 finalizer of {@code s + (e+1)·0x9E3779B97F4A7C15}. {@link Random} is used rather than
 * {@code SplittableRandom} because its algorithm is fixed by its specification, so the order is the same on
 * every JDK.
 */
public final class Permutation {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private Permutation() {
    }

    /**
     * The sample order of an epoch, in a new array.
     *
     * @param n     the number of samples, ≥ 0
     * @param seed  the run's seed
     * @param epoch the epoch (any int)
     * @return a permutation of {@code 0 … n-1}
     */
    public static int[] forEpoch(int n, long seed, int epoch) {
        if (n < 0) {
            throw new IllegalArgumentException("sample count must be ≥ 0, got " + n);
        }
        int[] order = new int[n];
        fillForEpoch(order, seed, epoch);
        return order;
    }

    /**
     * Overwrites {@code order} with the order of epoch {@code epoch} for {@code order.length} samples, so one
     * array serves every epoch. The result depends only on the length, the seed and the epoch, not on the
     * array's previous contents.
     *
     * @param order the array to fill; its length is the number of samples
     * @param seed  the run's seed
     * @param epoch the epoch (any int)
     */
    public static void fillForEpoch(int[] order, long seed, int epoch) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(epochSeed(seed, epoch));
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** The seed of one epoch's generator: well-mixed, so neighbouring seeds or epochs give unrelated orders. */
    static long epochSeed(long seed, int epoch) {
        long z = seed + (epoch + 1L) * GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

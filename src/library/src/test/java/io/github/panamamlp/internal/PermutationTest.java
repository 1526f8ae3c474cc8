package io.github.panamamlp.internal;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PermutationTest {

    private static void assertPermutation(int[] order) {
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i], "not a permutation of 0…" + (order.length - 1));
        }
    }

    @Test
    void isAPermutationOfAllSamples() {
        for (int n : new int[]{0, 1, 2, 3, 10, 1000, 60_000}) {
            assertPermutation(Permutation.forEpoch(n, 123, 4));
        }
        assertThrows(IllegalArgumentException.class, () -> Permutation.forEpoch(-1, 0, 0));
    }

    @Test
    void repeatsExactlyForTheSameSeedAndEpoch() {
        assertArrayEquals(Permutation.forEpoch(5000, 42, 7), Permutation.forEpoch(5000, 42, 7));
        int[] reused = {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};
        Permutation.fillForEpoch(reused, 42, 7);
        assertArrayEquals(Permutation.forEpoch(20, 42, 7), reused, "result must not depend on the array's old contents");
    }

    @Test
    void differsBetweenEpochsAndSeeds() {
        int[] base = Permutation.forEpoch(1000, 42, 0);
        assertFalse(Arrays.equals(base, Permutation.forEpoch(1000, 42, 1)));
        assertFalse(Arrays.equals(base, Permutation.forEpoch(1000, 43, 0)));
        // Epoch e of seed s must not be epoch e-1 of seed s+1 or similar: the seed is mixed, not added.
        assertFalse(Arrays.equals(Permutation.forEpoch(1000, 1, 1), Permutation.forEpoch(1000, 2, 0)));
    }

    @Test
    void isTheFisherYatesShuffleOfTheDocumentedGenerator() {
        int n = 777;
        int[] expected = new int[n];
        for (int i = 0; i < n; i++) {
            expected[i] = i;
        }
        // Textbook Fisher–Yates on a List, driven by the generator the Javadoc promises.
        Random random = new Random(Permutation.epochSeed(99, 3));
        java.util.List<Integer> list = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(i);
        }
        for (int i = n - 1; i > 0; i--) {
            java.util.Collections.swap(list, i, random.nextInt(i + 1));
        }
        for (int i = 0; i < n; i++) {
            expected[i] = list.get(i);
        }
        assertArrayEquals(expected, Permutation.forEpoch(n, 99, 3));
    }

    @Test
    void allOrdersAreEquallyLikely() {
        Map<String, Integer> seen = new HashMap<>();
        int epochs = 6000;
        for (int e = 0; e < epochs; e++) {
            seen.merge(Arrays.toString(Permutation.forEpoch(3, 2024, e)), 1, Integer::sum);
        }
        assertEquals(6, seen.size());
        // Expected 1000 each, standard deviation ≈ 29: ±150 is over 5 deviations.
        seen.forEach((order, times) -> assertTrue(Math.abs(times - 1000) < 150, order + " seen " + times + " times"));
    }
}

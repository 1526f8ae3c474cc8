package io.github.panamamlp.bench;

import io.github.panamamlp.data.IdxImages;
import io.github.panamamlp.data.IdxLabels;
import io.github.panamamlp.data.LabeledImages;

import java.util.Random;

/** MNIST-shaped data for tests and JMH benchmarks that need no real digits: random 28×28 pixels, random labels 0–9. */
public final class SyntheticImages {
    private SyntheticImages() {
    }

    /**
     * {@code count} images and labels drawn from {@code new Random(seed)}.
     *
     * @param count how many
     * @param seed  the seed: the same seed gives the same images
     * @return the images with their labels
     */
    public static LabeledImages of(int count, long seed) {
        Random rnd = new Random(seed);
        byte[] pixels = new byte[count * 28 * 28];
        rnd.nextBytes(pixels);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) rnd.nextInt(10);
        }
        return new LabeledImages(IdxImages.of(count, 28, 28, pixels), IdxLabels.of(10, labels));
    }
}

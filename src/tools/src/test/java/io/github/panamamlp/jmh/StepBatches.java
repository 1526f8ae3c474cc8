package io.github.panamamlp.jmh;

import java.util.Random;

/**
 * The batches {@link TrainingStepBenchmark} and {@link ReferenceStepBenchmark} train on, so that both time their
 * step on the same numbers: pixels k/255 and labels 0–9, drawn from {@code new Random(1)}.
 *
 * @param x the batches, each {@code batchSize} rows of 784 values
 * @param y their labels
 */
record StepBatches(double[][][] x, int[][] y) {
    /** {@code count} batches of {@code batchSize} images. */
    static StepBatches of(int count, int batchSize) {
        Random rnd = new Random(1);
        double[][][] x = new double[count][batchSize][784];
        int[][] y = new int[count][batchSize];
        for (int b = 0; b < count; b++) {
            for (int i = 0; i < batchSize; i++) {
                for (int j = 0; j < 784; j++) {
                    x[b][i][j] = rnd.nextInt(256) / 255.0;
                }
                y[b][i] = rnd.nextInt(10);
            }
        }
        return new StepBatches(x, y);
    }
}

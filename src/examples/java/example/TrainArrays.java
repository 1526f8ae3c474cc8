package example;

import io.github.panamamlp.data.ArrayDataset;
import io.github.panamamlp.nn.Activation;
import io.github.panamamlp.nn.Evaluation;
import io.github.panamamlp.nn.Model;
import io.github.panamamlp.train.Adam;
import io.github.panamamlp.train.Trainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * The README's second example: your own data, in arrays. Three blobs in 20 dimensions, 5,000 rows of
 * {@code double[][]} plus {@code int[]} labels, split 80/20, a 20 → 32 ReLU → 3 softmax network trained with
 * Adam on standardized features, evaluated, saved, loaded back, and asked for the classes of new rows.
 *
 * <p>Arguments (both optional): the model file to write (default: a new temporary file) and the number of
 * epochs (default 10). The test suite compiles this file against the library's exported API and runs it, so
 * it cannot drift away from the library.
 */
public final class TrainArrays {
    public static void main(String[] args) throws Exception {
        Path file = args.length > 0 ? Path.of(args[0]) : Files.createTempFile("blobs", ".npz");
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 10;

        // Your data: one row of 20 features per example, and its class (0, 1 or 2). Here, three blobs whose
        // features are far from 0 and of different scales.
        Random rnd = new Random(42);
        double[][] centres = new double[3][20];
        for (double[] c : centres) {
            for (int j = 0; j < 20; j++) {
                c[j] = 100 + 0.7 * rnd.nextGaussian();
            }
        }
        double[][] features = new double[5000][20];
        int[] labels = new int[5000];
        for (int i = 0; i < 5000; i++) {
            labels[i] = i % 3;
            for (int j = 0; j < 20; j++) {
                features[i][j] = (j + 1) * (centres[labels[i]][j] + rnd.nextGaussian());
            }
        }

        ArrayDataset data = ArrayDataset.of(features, labels);  // checked once: rectangular, finite, labels ≥ 0
        ArrayDataset.Split split = data.split(0.2, 1);           // 4,000 to train, 1,000 to test, stratified

        // Model and Trainer hold off-heap memory: try-with-resources frees it.
        try (Model model = Model.builder(20)
                     .standardize(split.train().standardization())  // (x − mean) / std, from the training rows
                     .dense(32, Activation.RELU)
                     .dense(3, Activation.SOFTMAX)
                     .seed(1)
                     .build();
             Trainer trainer = new Trainer(model, new Adam(0.001))) {

            trainer.fit(split.train(), split.test(), epochs, 32, 1);  // batch 32, shuffle seed 1

            Evaluation test = model.evaluate(split.test());
            System.out.printf("test accuracy %.4f, loss %.4f%n", test.accuracy(), test.loss());
            model.save(file);  // layers, parameters and the standardization, as a numpy .npz file

            try (Model loaded = Model.load(file)) {
                Evaluation again = loaded.evaluate(split.test());
                System.out.printf("loaded %s: test accuracy %.4f, the same evaluation: %b%n", file.getFileName(),
                        again.accuracy(), again.loss() == test.loss() && again.accuracy() == test.accuracy());

                double[][] rows = Arrays.copyOf(split.test().rows(), 5);  // raw rows, as the data came
                int[] classes = loaded.predictClasses(rows);                // one matrix product per layer
                int[] truth = Arrays.copyOf(split.test().labels(), 5);
                System.out.printf("first test rows: predicted %s, labels %s%n", Arrays.toString(classes), Arrays.toString(truth));
            }
        }
    }
}

package example;

import io.github.panamamlp.data.Dataset;
import io.github.panamamlp.nn.Activation;
import io.github.panamamlp.nn.Model;
import io.github.panamamlp.train.Adam;
import io.github.panamamlp.nn.Evaluation;
import io.github.panamamlp.train.Trainer;

import java.nio.file.Path;

/**
 * The README's example: the tutorial network 784 → 50 sigmoid → 10 softmax, trained on MNIST with Adam,
 * evaluated on the test set, then asked for one test image's digit.
 *
 * <p>Arguments (both optional): the directory with the four MNIST IDX files (default {@code data/mnist})
 * and the number of epochs (default 10). The test suite compiles this file against the library's
 * exported API and runs it for one epoch, so it cannot drift away from the library.
 */
public final class TrainMnist {
    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "data/mnist");
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 10;

        Dataset mnist = Dataset.load(dir);  // 60,000 training and 10,000 test images, 28×28

        // Model and Trainer hold off-heap memory: try-with-resources frees it.
        try (Model model = Model.builder(784)
                     .dense(50, Activation.SIGMOID)
                     .dense(10, Activation.SOFTMAX)
                     .seed(1)
                     .build();
             Trainer trainer = new Trainer(model, new Adam(0.001))) {

            trainer.fit(mnist.train(), mnist.test(), epochs, 32, 1);  // batch 32, shuffle seed 1

            Evaluation test = model.evaluate(mnist.test());
            System.out.printf("test accuracy %.4f, loss %.4f%n", test.accuracy(), test.loss());

            double[] image = mnist.test().images().imageAsDoubles(0);  // 784 pixels in [0, 1]
            double[] probabilities = model.predict(image);
            int digit = model.predictClass(image);
            System.out.printf("first test image: digit %d (probability %.3f), label %d%n",
                    digit, probabilities[digit], mnist.test().labels().label(0));
        }
    }
}

package io.github.panamamlp.cli;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.data.ArrayDataset;
import io.github.panamamlp.data.Dataset;
import io.github.panamamlp.data.GrayImage;
import io.github.panamamlp.data.IdxImages;
import io.github.panamamlp.data.IdxLabels;
import io.github.panamamlp.nn.Model;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"The class probabilities and predicted class for one test image or one 28×28 grayscale PNG/PGM file.",
                "With --data FILE.csv: the predicted class name of every row of the file, one per line. The model's feature"
                        + " columns are taken by name when its file names them (other columns, a label column included, are"
                        + " ignored), else every column but --label."})
final class PredictCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model file (.npz).")
    Path modelFile;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Input input = new Input();

    static final class Input {
        @Option(names = "--index", paramLabel = "N", description = "Index of an image of the dataset's test set.")
        Integer index;

        @Option(names = "--image", paramLabel = "FILE", description = "A 28×28 grayscale PNG or binary PGM, white digit on black (as MNIST).")
        Path image;
    }

    @Option(names = "--data", paramLabel = "DIR|FILE.csv", description = "Dataset directory for --index, or a CSV file to predict every row of. Default: data/mnist.")
    Path data = Path.of("data/mnist");

    @Option(names = "--label", paramLabel = "COLUMN", description = "CSV: a column to leave out (the label), by header or 0-based index.")
    String label;

    @Mixin
    Main.Common common = new Main.Common();

    @Override
    public Integer call() throws Exception {
        boolean csv = input.index == null && input.image == null;
        if (csv && !CsvData.isCsv(data)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Give --index N or --image FILE, or --data FILE.csv to predict every row of a CSV file");
        }
        if (!csv && label != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--label is for --data FILE.csv");
        }
        return csv ? runCsv(spec.commandLine().getOut(), modelFile, data, label)
                : run(spec.commandLine().getOut(), modelFile, input.index, input.image, data);
    }

    /**
     * Every row of a CSV file: one predicted class name per line. The rows go through the model a chunk at
     * a time (one product per layer), on OpenBLAS: unlike one image, a file may hold many rows.
     */
    static int runCsv(PrintWriter o, Path modelFile, Path data, String label) throws Exception {
        try (Model model = Model.load(modelFile)) {
            List<String> columns = CsvData.modelColumns(model, ArrayDataset.readCsvHeader(data), label);
            List<String> names = model.classNames();
            for (int c : model.predictClasses(ArrayDataset.readCsvFeatures(data, columns))) {
                o.println(names.get(c));
            }
        }
        return 0;
    }

    /**
     * The command itself, also called by {@link Main}'s fast path.
     *
     * @param index a test image's index, or null
     * @param image an image file, or null (exactly one of the two is set)
     */
    static int run(PrintWriter o, Path modelFile, Integer index, Path image, Path data) throws Exception {
        // One image is one 1×784 row through the network, about 40,000 multiply-adds: the plain-Java GEMM does
        // that in microseconds, while loading OpenBLAS (its thread pool, its buffers, the FFM downcalls) took
        // about a sixth of predict's start-up (0.62 -> 0.51 s wall on a loaded 2-vCPU EPYC, /usr/bin/time,
        // medians of 9 alternating runs).
        try (Model model = Model.load(modelFile, Blas.java())) {
            double[] x;
            String what;
            Integer label = null;
            if (index != null) {
                // One image and one label, not the dataset: the test set alone is 7.8 MB of MNIST's 55.
                Path images = Dataset.locate(data, Dataset.TEST_IMAGES);
                Path labels = Dataset.locate(data, Dataset.TEST_LABELS);
                int n = IdxImages.count(images);
                if (index < 0 || index >= n) {
                    throw new IllegalArgumentException("--index " + index + " is outside the test set (0.." + (n - 1) + ")");
                }
                x = IdxImages.read(images, index, 1).imageAsDoubles(0);
                label = IdxLabels.read(labels, IdxLabels.DEFAULT_CLASSES, index, 1).label(0);
                what = "test image " + index;
            } else {
                x = GrayImage.read(image);
                what = image.toString();
            }
            if (x.length != model.inputSize()) {
                throw new IllegalArgumentException(what + " has " + x.length + " pixels but the model takes " + model.inputSize());
            }
            double[] p = model.predict(x);
            int best = 0;
            for (int i = 1; i < p.length; i++) {
                if (p[i] > p[best]) {
                    best = i;
                }
            }
            o.println(what + (label != null ? " (label " + label + ")" : ""));
            for (int i = 0; i < p.length; i++) {
                o.printf(Locale.ROOT, "  %d  %.6f%s%n", i, p[i], i == best ? "  <" : "");
            }
            o.println("predicted: " + best);
        }
        return 0;
    }
}

package io.github.panamamlp.cli;

import io.github.panamamlp.tensor.DType;

import io.github.panamamlp.blas.OpenBlas;
import io.github.panamamlp.data.ArrayDataset;
import io.github.panamamlp.data.BatchSource;
import io.github.panamamlp.data.Dataset;
import io.github.panamamlp.data.IdxLabels;
import io.github.panamamlp.internal.npz.Npz;
import io.github.panamamlp.nn.Init;
import io.github.panamamlp.nn.Model;
import io.github.panamamlp.train.History;
import io.github.panamamlp.train.Optimizer;
import io.github.panamamlp.train.Trainer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains a network on an IDX dataset (MNIST by default) or a CSV file and writes the model, its history and a chart.",
                "Default setup: --preset default (see below), 10 epochs.",
                "With --data FILE.csv: the first row is a header, --label names the class column (default: the last one),"
                        + " --test-fraction of the rows (stratified, seeded with --seed) is held out for testing, and the"
                        + " features are standardized with the training rows' mean and standard deviation (saved in the model)."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    NetworkOptions net = new NetworkOptions();

    @Option(names = "--data", paramLabel = "DIR|FILE.csv", description = "Directory with the four IDX files (raw or .gz), or a CSV file. Default: data/mnist.")
    Path data = Path.of("data/mnist");

    @Option(names = "--label", paramLabel = "COLUMN", description = "CSV: the label column, by header or 0-based index. Default: the last column.")
    String label;

    @Option(names = "--test-fraction", paramLabel = "F", description = "CSV: the share of rows held out for testing, stratified by class. Default: 0.2.")
    Double testFraction;

    @Option(names = "--drop", paramLabel = "COL", split = ",", description = "CSV: columns to leave out (e.g. an id or a text column), by header.")
    List<String> drop = List.of();

    @Option(names = "--no-standardize", description = "CSV: feed the features as they are, not standardized.")
    boolean noStandardize;

    @Option(names = "--out", paramLabel = "DIR", description = {"Where model.npz, history.csv, history.json and history.png go. Default: out.",
            "They are published together: DIR/current points at the complete set of the last finished run."})
    Path out = Path.of("out");

    @Option(names = "--threads", paramLabel = "N", description = "OpenBLAS threads for every product. Default: chosen "
            + "per product by its size, up to OPENBLAS_NUM_THREADS or the number of cores. What is used is printed.")
    Integer threads;

    @Option(names = "--limit", paramLabel = "N", description = "Train on the first N training images only (for quick runs).")
    Integer limit;

    @Option(names = "--no-progress", description = "No progress bar (also off when the output is not a terminal).")
    boolean noProgress;

    @Mixin
    Main.Common common = new Main.Common();

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        // 1. The command line, whole, before anything is read: a mistake there is a usage error (exit 2).
        Optimizer optimizer;
        int epochs;
        int batch;
        Init init;
        List<Model.LayerSpec> layers;
        DType dtype;
        try {
            dtype = net.dtype();
            optimizer = net.optimizer();
            epochs = net.epochs();
            batch = net.batchSize();
            init = net.init();
            layers = net.layers(IdxLabels.DEFAULT_CLASSES);
            if (threads != null && threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            }
            if (limit != null && limit < 1) {
                throw new IllegalArgumentException("--limit must be at least 1, got " + limit);
            }
            if (CsvData.isCsv(data)) {
                if (limit != null) {
                    throw new IllegalArgumentException("--limit is for IDX data; a CSV file is used whole");
                }
                if (testFraction != null && !(testFraction > 0 && testFraction < 1)) {
                    throw new IllegalArgumentException("--test-fraction must be strictly between 0 and 1, got " + testFraction);
                }
            } else if (label != null || testFraction != null || !drop.isEmpty() || noStandardize) {
                throw new IllegalArgumentException("--label, --test-fraction, --drop and --no-standardize are for a CSV file;"
                        + " --data " + data + " is " + (Files.isDirectory(data) ? "a directory of IDX files" : "not a file"));
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (CsvData.isCsv(data)) {
            return trainCsv(o, optimizer, epochs, batch, init, layers, dtype);
        }
        // 2. What the run will hold, from the data set's headers alone: refused in a second if it cannot fit.
        Dataset.Sizes sizes = Dataset.sizes(data);
        int inputs = sizes.rows() * sizes.cols();
        long parameters = Model.parameterCount(inputs, layers);
        if (parameters > Npz.MAX_TOTAL_ELEMENTS) {
            throw new ParameterException(spec.commandLine(), String.format(Locale.ROOT, "this network has %,d parameters,"
                    + " more than a model file holds (%,d): its model could not be saved; use smaller --hidden layers",
                    parameters, Npz.MAX_TOTAL_ELEMENTS));
        }
        int trainCount = limit == null ? sizes.trainCount() : Math.min(limit, sizes.trainCount());
        long dataBytes = sizes.loadedBytes() + (limit == null ? 0
                : ((long) trainCount + sizes.testCount()) * ((long) inputs + 1)); // head() copies both sets
        MemoryCheck.require(MemoryCheck.estimate(inputs, layers, optimizer, dtype, batch, trainCount, sizes.testCount(), dataBytes));
        // 3. --out: created or checked, locked, cleaned of what killed runs left, with room for the outputs.
        try (OutputSet outputs = OutputSet.open(out, parameters * dtype.bytes() + 64L * 1024)) {
            String threadSource = applyThreads();
            // 4. Only now the data, then training.
            Dataset ds = Dataset.load(data);
            if (limit != null) {
                ds = ds.head(Math.min(limit, ds.train().count()), ds.test().count());
            }
            reportBlas(o, threadSource, ds.train().pixelsPerImage(), ds.train().numClasses(), batch);
            o.printf(Locale.ROOT, "Data: %s: %,d training and %,d test images of %d features, %d classes%n",
                    data, ds.train().count(), ds.test().count(), ds.train().pixelsPerImage(), ds.train().numClasses());
            try (Model model = Model.builder(ds.train().pixelsPerImage()).layers(net.layers(ds.train().numClasses()))
                    .init(init).seed(net.seed).dtype(dtype).build();
                 Trainer trainer = new Trainer(model, optimizer)) {
                History history = fitAndReport(o, model, trainer, optimizer, init, batch, epochs, ds.train(), ds.test());
                // 5. All four outputs into the staging directory, then published as one set.
                Path staged = outputs.staging();
                model.save(staged.resolve("model.npz"));
                history.write(staged.resolve("history.csv"));
                history.write(staged.resolve("history.json"));
                HistoryChart.writePng(history, "panama-mlp " + net.preset().label(), staged.resolve("history.png"));
                outputs.publish();
                History.Epoch last = history.last();
                o.printf(Locale.ROOT, "Final test accuracy %.4f (loss %.4g). Wrote %s, history.csv, history.json, history.png (set %s)%n",
                        last.testAccuracy(), last.testLoss(), out.resolve("model.npz"), outputs.setDirectory().getFileName());
            }
        }
        return 0;
    }

    /**
     * Training on a CSV file: the same steps as on IDX data. Its size is bounded from the file before it is
     * read (every field takes at least two bytes, itself and a separator), the rows are split stratified
     * with --seed, and the model standardizes its input and names its classes and features.
     */
    private int trainCsv(PrintWriter o, Optimizer optimizer, int epochs, int batch, Init init,
                         List<Model.LayerSpec> sizingLayers, DType dtype) throws Exception {
        List<String> header = ArrayDataset.readCsvHeader(data);
        String labelName = CsvData.labelColumn(header, label);
        List<String> features = CsvData.featureColumns(header, labelName, drop);
        long rowsAtMost = Files.size(data) / (2L * header.size()) + 1;
        long parameters = Model.parameterCount(features.size(), sizingLayers);
        if (parameters > Npz.MAX_TOTAL_ELEMENTS) {
            throw new ParameterException(spec.commandLine(), String.format(Locale.ROOT, "this network has %,d parameters,"
                    + " more than a model file holds (%,d); use smaller --hidden layers", parameters, Npz.MAX_TOTAL_ELEMENTS));
        }
        int rows = (int) Math.min(Integer.MAX_VALUE, rowsAtMost);
        MemoryCheck.require(MemoryCheck.estimate(features.size(), sizingLayers, optimizer, dtype, batch, rows, rows,
                2 * rowsAtMost * (features.size() * (long) Double.BYTES + Integer.BYTES)));
        try (OutputSet outputs = OutputSet.open(out, parameters * dtype.bytes() + 64L * 1024)) {
            String threadSource = applyThreads();
            ArrayDataset all = ArrayDataset.readCsv(data, labelName, features);
            double fraction = testFraction == null ? 0.2 : testFraction;
            ArrayDataset.Split split = all.split(fraction, net.seed);
            ArrayDataset train = split.train();
            reportBlas(o, threadSource, train.features(), train.classes(), batch);
            o.printf(Locale.ROOT, "Data: %s: %,d training and %,d test rows (test fraction %s, stratified, seed %d) of %d features%s,"
                            + " label column %s: %d classes (%s)%n",
                    data, train.count(), split.test().count(), fraction, net.seed, train.features(),
                    noStandardize ? "" : " (standardized)", labelName, train.classes(), String.join(", ", train.classNames()));
            Model.Builder builder = Model.builder(train.features()).layers(net.layers(train.classes()))
                    .init(init).seed(net.seed).dtype(dtype).featureNames(train.featureNames());
            if (train.hasClassNames()) {
                builder.classNames(train.classNames());
            }
            if (!noStandardize) {
                builder.standardize(train.standardization());
            }
            try (Model model = builder.build(); Trainer trainer = new Trainer(model, optimizer)) {
                History history = fitAndReport(o, model, trainer, optimizer, init, batch, epochs, train, split.test());
                Path staged = outputs.staging();
                model.save(staged.resolve("model.npz"));
                history.write(staged.resolve("history.csv"));
                history.write(staged.resolve("history.json"));
                HistoryChart.writePng(history, "panama-mlp " + data.getFileName(), staged.resolve("history.png"));
                outputs.publish();
                History.Epoch last = history.last();
                o.printf(Locale.ROOT, "Final test accuracy %.4f (loss %.4g). Wrote %s, history.csv, history.json, history.png (set %s)%n",
                        last.testAccuracy(), last.testLoss(), out.resolve("model.npz"), outputs.setDirectory().getFileName());
            }
        }
        return 0;
    }

    /**
     * Applies --threads, or the thread policy without it, and returns where a forced count comes from (null
     * under the policy), for {@link #reportBlas}.
     */
    private String applyThreads() {
        if (threads == null) {
            OpenBlas.setThreadsAuto();
            return null;
        }
        int effective = OpenBlas.setThreads(threads);
        return effective == threads ? "--threads " + threads
                : "--threads " + threads + " asked, but this OpenBLAS build uses at most " + effective;
    }

    /** Prints the OpenBLAS that was loaded, and the thread count on a line of its own: it is part of what makes a run reproducible. */
    private void reportBlas(PrintWriter o, String threadSource, int inputs, int classes, int batch) {
        OpenBlas.Info blas = OpenBlas.info();
        o.println(blas);
        if (threadSource != null) {
            o.printf(Locale.ROOT, "BLAS threads: %d (%s)%n", blas.threads(), threadSource);
        } else {
            o.printf(Locale.ROOT, "BLAS threads: %s; %s%n", blas.threadsDescription(),
                    ThreadsLine.forNetwork(inputs, net.layers(classes), batch, net.dtype()));
        }
    }

    /** Prints the summary and setup, trains with the console listener, and returns the history. */
    private History fitAndReport(PrintWriter o, Model model, Trainer trainer, Optimizer optimizer, Init init, int batch,
                                 int epochs, BatchSource train, BatchSource test) {
        o.print(model.summary());
        o.printf(Locale.ROOT, "Training: %s, init %s, batch %d, %d epochs, seed %d%n",
                optimizer.describe(), init, batch, epochs, net.seed);
        o.flush();
        boolean progress = !noProgress && System.console() != null;
        return trainer.fit(train, test, epochs, batch, net.seed, new ConsoleListener(o, epochs, progress));
    }

    /** Prints one line per epoch and, on a terminal, a progress bar during it. */
    static final class ConsoleListener implements Trainer.Listener {
        private final PrintWriter out;
        private final int epochs;
        private final boolean progress;
        private ProgressBar bar;

        ConsoleListener(PrintWriter out, int epochs, boolean progress) {
            this.out = out;
            this.epochs = epochs;
            this.progress = progress;
        }

        @Override
        public void onEpochStart(int epoch, int batches) {
            if (progress) {
                bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
                        .setInitialMax(batches).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200)
                        .showSpeed().setUnit(" batches", 1)
                        .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
            }
        }

        @Override
        public void onBatch(int epoch, int batchesDone, int batches, double meanLoss) {
            if (bar != null) {
                bar.stepTo(batchesDone);
                if (batchesDone % 100 == 0 || batchesDone == batches) {
                    bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", meanLoss));
                }
            }
        }

        @Override
        public void onEpochEnd(History.Epoch e) {
            if (bar != null) {
                bar.close();
                bar = null;
            }
            out.printf(Locale.ROOT, "epoch %d/%d  train loss %.4g acc %.4f  test loss %.4g acc %.4f  %.2f s%n",
                    e.epoch(), epochs, e.trainLoss(), e.trainAccuracy(), e.testLoss(), e.testAccuracy(), e.seconds());
            out.flush();
        }
    }
}

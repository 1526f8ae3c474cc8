/**
 * panama-mlp: multilayer perceptrons trained on the CPU, with OpenBLAS's {@code cblas_dgemm} called
 * through Java's Foreign Function and Memory API. Your data in, a model trained, saved, loaded, predicting:
 * {@snippet :
 * double[][] features = ...;                     // one row per example
 * int[] labels = ...;                            // its class, 0, 1, 2, ...
 * ArrayDataset.Split split = ArrayDataset.of(features, labels).split(0.2, 1);  // 80% train, 20% test
 *
 * try (Model model = Model.builder(features[0].length)
 *              .standardize(split.train().standardization())   // (x - mean) / std of the training rows
 *              .dense(32, Activation.RELU)
 *              .dense(split.train().classes(), Activation.SOFTMAX)
 *              .build();
 *      Trainer trainer = new Trainer(model, new Adam(0.001))) {
 *     trainer.fit(split.train(), split.test(), 10, 32, 1);     // epochs, batch size, shuffle seed
 *     Evaluation test = model.evaluate(split.test());          // loss, accuracy, confusion matrix
 *     model.save(Path.of("model.npz"));                         // a numpy .npz file
 * }
 * try (Model model = Model.load(Path.of("model.npz"))) {
 *     int[] classes = model.predictClasses(newRows);           // raw rows in, one class each
 * }
 * }
 *
 * <p>The exported packages are the library: {@link io.github.panamamlp.nn} (the model: build, predict,
 * evaluate, save, load), {@link io.github.panamamlp.train} (training), {@link io.github.panamamlp.data}
 * (your arrays and CSV files, IDX datasets, images), {@link io.github.panamamlp.io} (the model file format
 * and its exception), {@link io.github.panamamlp.tensor} (off-heap matrices) and
 * {@link io.github.panamamlp.blas} (GEMM and OpenBLAS's loader and thread count). They need nothing but the
 * JDK.
 *
 * <p>Not exported: the jextract bindings to OpenBLAS ({@code bindings.openblas}) and the plumbing under
 * {@code internal} (JSON, the npz reader and writer, the permutation, the hooks the trainer uses). The
 * command line, its benchmark and the pure-Java reference used as a test oracle are not in this module:
 * they are built into their own jars ({@code panama-mlp-tools}, {@code panama-mlp-reference}) from the same
 * build.
 *
 * <p>OpenBLAS is called through restricted FFM methods: run with
 * {@code --enable-native-access=io.github.panamamlp} on the module path (or
 * {@code --enable-native-access=ALL-UNNAMED} on the class path). Without it JDK 22 to 25 print a warning,
 * and under {@code --illegal-native-access=deny} OpenBLAS cannot be loaded (the exception names the flag).
 */
module io.github.panamamlp {
    exports io.github.panamamlp.blas;
    exports io.github.panamamlp.data;
    exports io.github.panamamlp.io;
    exports io.github.panamamlp.nn;
    exports io.github.panamamlp.tensor;
    exports io.github.panamamlp.train;

    // GrayImage decodes PNG files with javax.imageio.
    requires java.desktop;
}

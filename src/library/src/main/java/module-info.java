/**
 * panama-mlp: multilayer perceptrons trained on the CPU, with OpenBLAS's {@code cblas_dgemm} called
 * through Java's Foreign Function and Memory API.
 *
 * <p>The exported packages are the library: {@link io.github.panamamlp.nn} (the model),
 * {@link io.github.panamamlp.train} (training and evaluation), {@link io.github.panamamlp.tensor}
 * (off-heap matrices), {@link io.github.panamamlp.blas} (GEMM and OpenBLAS's loader and thread count),
 * {@link io.github.panamamlp.data} (IDX datasets and images) and {@link io.github.panamamlp.io} (model
 * files). They need nothing but the JDK.
 *
 * <p>Not exported: the jextract bindings to OpenBLAS ({@code bindings.openblas}). The command line, its
 * benchmark and the pure-Java reference used as a test oracle are not in this module: they are built
 * into their own jars ({@code panama-mlp-tools}, {@code panama-mlp-reference}) from the same build.
 *
 * <p>OpenBLAS is called through restricted FFM methods: run with
 * {@code --enable-native-access=io.github.panamamlp} on the module path (or
 * {@code --enable-native-access=ALL-UNNAMED} on the class path) to avoid the JDK's warning.
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

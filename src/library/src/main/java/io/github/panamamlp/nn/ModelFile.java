package io.github.panamamlp.nn;

import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.data.Standardization;
import io.github.panamamlp.internal.Json;
import io.github.panamamlp.internal.Untrusted;
import io.github.panamamlp.internal.npz.NpyArray;
import io.github.panamamlp.internal.npz.Npz;
import io.github.panamamlp.io.ModelFormatException;
import io.github.panamamlp.tensor.DType;
import io.github.panamamlp.tensor.Matrix;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The model file: saves and loads a {@link Model} as a numpy {@code .npz} file (the format is described in
 * the {@link io.github.panamamlp.io} package and the README):
 * <ul>
 *   <li>{@code W1.npy, b1.npy, W2.npy, b2.npy, …}: little-endian, in the model's type ({@code <f8} for
 *       float64, {@code <f4} for float32), {@code Wi} shaped inputs × outputs and {@code bi} shaped (outputs,);</li>
 *   <li>{@code mean.npy} and {@code std.npy}, shaped (inputs,), when the model standardizes its input:
 *       always {@code <f8}, whatever the model's type, because the standardization is applied in double
 *       before an input row is rounded to the model's type, and a float copy would change what a loaded
 *       model computes;</li>
 *   <li>{@code model_json.npy}: a 0-d unicode array holding
 *       {@code {"format": "panama-mlp", "version": 3, "dtype": "float64", "input": 784, "layers":
 *       [{"type": "dense", "units": 50, "activation": "sigmoid"}, …]}}, plus {@code "classes"} (the class
 *       names) and {@code "features"} (the input columns' names) when the model has them.</li>
 * </ul>
 * numpy reads it with {@code np.load}; {@code json.loads(str(f["model_json"]))} gives the layers.
 * Writing is atomic (temporary file, then rename). Loading checks that the description is complete,
 * that every array has the shape the layers imply, and that every value is finite. Both stream the
 * parameters between the file and the model's off-heap memory in fixed-size chunks: the Java heap is
 * not a limit on the size of a model that can be saved or loaded.
 *
 * <p>Versions: 1 is the layers and parameters only; 2 adds the optional {@code classes}, {@code features},
 * {@code mean.npy} and {@code std.npy}; 3 adds {@code dtype}, the model's element type. A version-2 file
 * without them is a version-1 model. A file without {@code dtype} (versions 1 and 2, or written by numpy)
 * loads as float32 when all its parameter arrays are {@code <f4} (or {@code >f4}), else as float64. This code
 * writes {@link #VERSION} and reads every version in {@link #READABLE_VERSIONS}; a file of any other
 * version is refused, naming the versions it reads.
 */
final class ModelFile {
    /** The name of the JSON entry (without .npy). */
    static final String JSON_ENTRY = "model_json";
    /** The value of the "format" field. */
    static final String FORMAT = "panama-mlp";
    /** The value of the "version" field this code writes. */
    static final int VERSION = 3;
    /** The versions this code reads: each one's additions are optional fields of the next. */
    static final java.util.Set<Long> READABLE_VERSIONS = java.util.Set.of(1L, 2L, 3L);
    /** The JSON field of the element type (version 3). */
    static final String DTYPE = "dtype";
    /** The arrays of the standardization, shaped (input,). */
    static final String MEAN = "mean";
    static final String STD = "std";
    /** The longest class or feature name a file may hold. */
    static final int MAX_NAME_CHARS = 1000;

    private ModelFile() {
    }

    /**
     * Writes the model's description and parameters to {@code file}, atomically. The parameters are copied
     * from the model's off-heap memory to the file in chunks, so saving needs no heap in proportion to the
     * model. The model must not be trained while it is saved.
     *
     * @throws IllegalStateException    if a parameter is NaN or infinite (nothing is written)
     * @throws IllegalArgumentException if the model holds more than {@link Npz#MAX_TOTAL_ELEMENTS}
     *                                  parameters, more than a model file may hold (nothing is written)
     * @throws IOException if writing fails; no partial file is left behind
     */
    static void save(Model model, Path file) throws IOException {
        List<Npz.ArrayView> arrays = new ArrayList<>();
        List<Object> layers = new ArrayList<>();
        List<Dense> dense = model.denseLayers();
        for (int i = 0; i < dense.size(); i++) {
            Dense d = dense.get(i);
            Model.LayerSpec s = model.layerSpecs().get(i);
            refuseNonFinite("W" + (i + 1), d.weights(), model);
            refuseNonFinite("b" + (i + 1), d.bias(), model);
            int size = model.dtype().bytes();
            arrays.add(new Npz.ArrayView("W" + (i + 1), new int[]{d.inputSize(), d.outputSize()}, contiguous(d.weights()), size));
            arrays.add(new Npz.ArrayView("b" + (i + 1), new int[]{d.outputSize()}, contiguous(d.bias()), size));
            Map<String, Object> layer = new LinkedHashMap<>();
            layer.put("type", "dense");
            layer.put("units", (long) s.units());
            layer.put("activation", s.activation().id());
            layers.add(layer);
        }
        Standardization st = model.standardization().orElse(null);
        if (st != null) {
            arrays.add(new Npz.ArrayView(MEAN, new int[]{model.inputSize()}, MemorySegment.ofArray(st.mean())));
            arrays.add(new Npz.ArrayView(STD, new int[]{model.inputSize()}, MemorySegment.ofArray(st.std())));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("version", (long) VERSION);
        json.put(DTYPE, model.dtype().label());
        json.put("input", (long) model.inputSize());
        json.put("layers", layers);
        if (model.hasClassNames()) {
            json.put("classes", List.copyOf(model.classNames()));
        }
        if (!model.featureNames().isEmpty()) {
            json.put("features", List.copyOf(model.featureNames()));
        }
        Npz.writeViews(file, arrays, JSON_ENTRY, Json.write(json), UnaryOperator.identity());
    }

    /** A file of a diverged model could not be loaded again: refuse it before writing, and say which value. */
    private static void refuseNonFinite(String name, Matrix m, Model model) {
        MemorySegment data = contiguous(m);
        long n = (long) m.rows() * m.cols();
        for (long i = 0; i < n; i++) {
            double v = m.dtype().get(data, i);
            if (!Double.isFinite(v)) {
                String at = m.rows() == 1 ? "[" + i + "]" : "[" + i / m.cols() + ", " + i % m.cols() + "]";
                throw new IllegalStateException("cannot save the model: parameter " + name + at + " is " + v
                        + ", and a model file holds finite values only. Its training diverged (the learning rate was too"
                        + " large for the data) or it was given non-finite parameters; "
                        + model.nonFiniteParameters() + " of its " + model.parameterCount() + " parameters are not finite");
            }
        }
    }

    /** The matrix's elements as one row-major block (a layer's parameters always are one). */
    private static MemorySegment contiguous(Matrix m) {
        if (!m.isContiguous()) {
            throw new IllegalStateException("a layer's parameters are not one contiguous block: " + m.shape());
        }
        return m.segment().asSlice(0, (long) m.rows() * m.cols() * m.dtype().bytes());
    }

    /**
     * Reads a model written by {@link #save} (or by numpy in the same format). The whole file is checked
     * first (entries, headers, lengths, CRCs, the description and that the shapes chain) in a fixed-size
     * buffer; only then is the model allocated, and the arrays are decoded straight into its off-heap
     * parameters. Loading needs no heap in proportion to the model.
     *
     * @param file  the {@code .npz} file
     * @param blas  the GEMM implementation the loaded model uses
     * @param dtype the loaded model's element type, or null for the file's own (see the class comment)
     * @return the model, which the caller closes
     * @throws ModelFormatException naming the file and what is wrong with it
     */
    static Model load(Path file, Blas blas) throws IOException {
        return load(file, blas, null);
    }

    static Model load(Path file, Blas blas, DType dtype) throws IOException {
        try (Npz.Archive c = Npz.open(file, Npz.MAX_TOTAL_ELEMENTS)) {
            return load(c, file, blas, dtype);
        }
    }

    private static Model load(Npz.Archive c, Path file, Blas blas, DType wanted) throws IOException {
        String where = file + ": " + JSON_ENTRY + ".npy";
        if (c.json() == null) {
            throw new ModelFormatException(file + ": no model description: expected a text entry " + JSON_ENTRY
                    + ".npy holding {\"format\": \"panama-mlp\", \"input\": N, \"layers\": [...]}");
        }
        if (!(c.jsonValue() instanceof Map<?, ?> root)) {
            throw new ModelFormatException(where + ": the description must be a JSON object");
        }
        if (root.containsKey("format") && !FORMAT.equals(root.get("format"))) {
            throw new ModelFormatException(where + ": format is " + Untrusted.quote(root.get("format")) + ", expected '" + FORMAT + "'");
        }
        if (root.containsKey("version") && !(root.get("version") instanceof Long v && READABLE_VERSIONS.contains(v))) {
            throw new ModelFormatException(where + ": unsupported version " + Untrusted.quote(root.get("version"))
                    + " (this build reads " + new java.util.TreeSet<>(READABLE_VERSIONS) + ")");
        }
        int input = positiveInt(root.get("input"), where, "input");
        if (!(root.get("layers") instanceof List<?> layerList) || layerList.isEmpty()) {
            throw new ModelFormatException(where + ": 'layers' must be a non-empty list");
        }
        List<Model.LayerSpec> specs = new ArrayList<>();
        for (int i = 0; i < layerList.size(); i++) {
            String lw = where + ": layer " + (i + 1);
            if (!(layerList.get(i) instanceof Map<?, ?> layer)) {
                throw new ModelFormatException(lw + " must be a JSON object");
            }
            Object type = layer.get("type");
            if (type != null && !"dense".equals(type)) {
                throw new ModelFormatException(lw + ": unknown layer type " + Untrusted.quote(type) + " (only dense)");
            }
            int units = positiveInt(layer.get("units"), lw, "units");
            Activation act;
            try {
                act = Activation.parse(String.valueOf(layer.get("activation")));
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(lw + ": " + Untrusted.printable(e.getMessage()));
            }
            specs.add(new Model.LayerSpec(units, act));
        }
        List<String> classes = names(root, "classes", specs.getLast().units(), "classes (the last layer's units)", where);
        List<String> features = names(root, "features", input, "features (the input size)", where);
        boolean standardized = c.arrayNames().contains(MEAN) || c.arrayNames().contains(STD);
        for (String name : c.arrayNames()) {
            // At most 9 digits, so parseInt cannot overflow; any longer index is beyond the layers anyway.
            boolean parameter = name.matches("[Wb][1-9][0-9]{0,8}") && Integer.parseInt(name.substring(1)) <= specs.size();
            if (!parameter && !name.equals(MEAN) && !name.equals(STD)) {
                throw new ModelFormatException(file + ": unexpected array " + name + ".npy for a model of " + specs.size() + " layers");
            }
        }
        // Every array's shape is checked against the description before the model is allocated: the
        // description alone may claim up to 2^28 parameters, the arrays (whose lengths Npz.open has checked
        // against the data really in the file, within its limits) cannot lie.
        int in = input;
        for (int i = 0; i < specs.size(); i++) {
            int out = specs.get(i).units();
            checkShape(c, "W" + (i + 1), new int[]{in, out}, file);
            checkShape(c, "b" + (i + 1), new int[]{out}, file);
            in = out;
        }
        Standardization standardization = null;
        if (standardized) {
            if (!c.arrayNames().contains(MEAN) || !c.arrayNames().contains(STD)) {
                throw new ModelFormatException(file + ": " + (c.arrayNames().contains(MEAN) ? MEAN : STD) + ".npy without "
                        + (c.arrayNames().contains(MEAN) ? STD : MEAN) + ".npy: a standardization needs both");
            }
            checkShape(c, MEAN, new int[]{input}, file);
            checkShape(c, STD, new int[]{input}, file);
            double[] mean = new double[input];
            double[] std = new double[input];
            readFinite(c, MEAN, MemorySegment.ofArray(mean), DType.FLOAT64, file);
            readFinite(c, STD, MemorySegment.ofArray(std), DType.FLOAT64, file);
            for (int j = 0; j < input; j++) {
                if (std[j] <= 0) {
                    throw new ModelFormatException(file + ": " + STD + ".npy holds " + std[j] + " at index " + j
                            + " (a standard deviation must be positive)");
                }
            }
            standardization = Standardization.of(mean, std);
        }
        DType fileType = fileType(c, root, specs.size(), where);
        DType dtype = wanted == null ? fileType : wanted;
        Model model;
        try {
            model = Model.create(input, specs, blas, dtype, standardization, classes, features);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(where + ": " + Untrusted.printable(e.getMessage()));
        }
        try {
            for (int i = 0; i < specs.size(); i++) {
                Dense d = model.denseLayers().get(i);
                readFinite(c, "W" + (i + 1), contiguous(d.weights()), dtype, file);
                readFinite(c, "b" + (i + 1), contiguous(d.bias()), dtype, file);
            }
        } catch (IOException | RuntimeException | Error e) {
            model.close();
            throw e;
        }
        return model;
    }

    private static void checkShape(Npz.Archive c, String name, int[] shape, Path file) throws ModelFormatException {
        int[] actual = c.shape(name);
        if (!java.util.Arrays.equals(actual, shape)) {
            throw new ModelFormatException(file + ": " + name + ".npy has shape " + NpyArray.shapeString(actual) + " but the layers need "
                    + NpyArray.shapeString(shape) + " (shapes must chain: W1 is input × units1, Wi is units(i−1) × units(i))");
        }
    }

    /**
     * The type the file records ({@code dtype}, version 3), else float32 when every parameter array is
     * stored as 4-byte floats (a file numpy wrote from float32 arrays), else float64.
     */
    private static DType fileType(Npz.Archive c, Map<?, ?> root, int layers, String where) throws ModelFormatException {
        if (root.containsKey(DTYPE)) {
            Object v = root.get(DTYPE);
            if (v instanceof String name && (name.equals("float32") || name.equals("float64"))) {
                return DType.parse(name);
            }
            throw new ModelFormatException(where + ": '" + DTYPE + "' must be \"float32\" or \"float64\", got " + Untrusted.quote(v));
        }
        for (int i = 1; i <= layers; i++) {
            if (c.itemSize("W" + i) != Float.BYTES || c.itemSize("b" + i) != Float.BYTES) {
                return DType.FLOAT64;
            }
        }
        return DType.FLOAT32;
    }

    /** Decodes array {@code name} into {@code dst} (elements of {@code dtype}), then requires every value to be finite. */
    private static void readFinite(Npz.Archive c, String name, MemorySegment dst, DType dtype, Path file) throws IOException {
        c.readInto(name, dst, dtype.bytes());
        long n = dst.byteSize() / dtype.bytes();
        for (long i = 0; i < n; i++) {
            double v = dtype.get(dst, i);
            if (!Double.isFinite(v)) {
                String why = dtype == DType.FLOAT32 && c.itemSize(name) == Double.BYTES
                        ? " as float32: the file's float64 value there is beyond float32's range (about 3.4e38)" : "";
                throw new ModelFormatException(file + ": " + name + ".npy holds a non-finite value (" + v + ") at flat index " + i + why);
            }
        }
    }

    /**
     * The optional list of names {@code field}: null when absent, else exactly {@code count} distinct strings
     * of at most {@value #MAX_NAME_CHARS} characters.
     */
    private static List<String> names(Map<?, ?> root, String field, int count, String what, String where)
            throws ModelFormatException {
        if (!root.containsKey(field)) {
            return null;
        }
        if (!(root.get(field) instanceof List<?> list) || list.size() != count) {
            throw new ModelFormatException(where + ": '" + field + "' must be a list of " + count + " " + what + ", got "
                    + Untrusted.quote(root.get(field) instanceof List<?> l ? l.size() + " entries" : root.get(field)));
        }
        List<String> out = new ArrayList<>(count);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String name) || name.length() > MAX_NAME_CHARS) {
                throw new ModelFormatException(where + ": '" + field + "' entry " + i + " must be a string of at most "
                        + MAX_NAME_CHARS + " characters, got " + Untrusted.quote(list.get(i)));
            }
            if (!seen.add(name)) {
                throw new ModelFormatException(where + ": '" + field + "' names " + Untrusted.quote(name) + " twice");
            }
            out.add(name);
        }
        return out;
    }

    private static int positiveInt(Object v, String where, String field) throws ModelFormatException {
        if (v instanceof Long l && l >= 1 && l <= 1_000_000) {
            return (int) l.longValue();
        }
        throw new ModelFormatException(where + ": '" + field + "' must be an integer from 1 to 1000000, got " + Untrusted.quote(v));
    }
}

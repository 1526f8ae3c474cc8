package io.github.panamamlp.io;

import io.github.panamamlp.internal.Json;
import io.github.panamamlp.internal.Untrusted;
import io.github.panamamlp.blas.Blas;
import io.github.panamamlp.nn.Activation;
import io.github.panamamlp.nn.Dense;
import io.github.panamamlp.nn.Model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves and loads a {@link Model} as a numpy {@code .npz} file:
 * <ul>
 *   <li>{@code W1.npy, b1.npy, W2.npy, b2.npy, …}: float64, little-endian, {@code Wi} shaped
 *       inputs × outputs and {@code bi} shaped (outputs,);</li>
 *   <li>{@code model_json.npy}: a 0-d unicode array holding
 *       {@code {"format": "panama-mlp", "version": 1, "input": 784, "layers": [{"type": "dense",
 *       "units": 50, "activation": "sigmoid"}, …]}}.</li>
 * </ul>
 * numpy reads it with {@code np.load}; {@code json.loads(str(f["model_json"]))} gives the layers.
 * Writing is atomic (temporary file, then rename). Loading checks that the description is complete,
 * that every array has the shape the layers imply, and that every parameter is finite.
 */
public final class ModelFile {
    /** The name of the JSON entry (without .npy). */
    public static final String JSON_ENTRY = "model_json";
    /** The value of the "format" field. */
    public static final String FORMAT = "panama-mlp";
    /** The value of the "version" field this code writes and reads. */
    public static final int VERSION = 1;

    private ModelFile() {
    }

    /**
     * Writes the model's layers and parameters to {@code file}, atomically.
     *
     * @param model the model to save
     * @param file  the {@code .npz} file to write
     * @throws IOException if writing fails; no partial file is left behind
     */
    public static void save(Model model, Path file) throws IOException {
        List<NpyArray> arrays = new ArrayList<>();
        List<Object> layers = new ArrayList<>();
        List<Dense> dense = model.denseLayers();
        for (int i = 0; i < dense.size(); i++) {
            Dense d = dense.get(i);
            Model.LayerSpec s = model.layerSpecs().get(i);
            arrays.add(NpyArray.matrix("W" + (i + 1), d.inputSize(), d.outputSize(), d.weights().toArray()));
            arrays.add(NpyArray.vector("b" + (i + 1), d.bias().toArray()));
            Map<String, Object> layer = new LinkedHashMap<>();
            layer.put("type", "dense");
            layer.put("units", (long) s.units());
            layer.put("activation", s.activation().id());
            layers.add(layer);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("version", (long) VERSION);
        json.put("input", (long) model.inputSize());
        json.put("layers", layers);
        Npz.write(file, arrays, JSON_ENTRY, Json.write(json));
    }

    /**
     * Reads a model written by {@link #save} (or by numpy in the same format).
     *
     * @param file the {@code .npz} file
     * @param blas the GEMM implementation the loaded model uses
     * @return the model, which the caller closes
     * @throws ModelFormatException naming the file and what is wrong with it
     */
    public static Model load(Path file, Blas blas) throws IOException {
        NpzContents c = Npz.read(file);
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
        if (root.containsKey("version") && !(root.get("version") instanceof Long v && v == VERSION)) {
            throw new ModelFormatException(where + ": unsupported version " + Untrusted.quote(root.get("version")) + " (this build reads " + VERSION + ")");
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
        for (String name : c.arrays().keySet()) {
            // At most 9 digits, so parseInt cannot overflow; any longer index is beyond the layers anyway.
            if (!name.matches("[Wb][1-9][0-9]{0,8}") || Integer.parseInt(name.substring(1)) > specs.size()) {
                throw new ModelFormatException(file + ": unexpected array " + name + ".npy for a model of " + specs.size() + " layers");
            }
        }
        // Every array is checked against the description before the model is allocated: the description
        // alone may claim up to 2^28 parameters, the arrays (already read, within Npz's limits) cannot lie.
        List<NpyArray> weights = new ArrayList<>();
        List<NpyArray> biases = new ArrayList<>();
        int in = input;
        for (int i = 0; i < specs.size(); i++) {
            int out = specs.get(i).units();
            weights.add(checked(c.array("W" + (i + 1)), new int[]{in, out}, file));
            biases.add(checked(c.array("b" + (i + 1)), new int[]{out}, file));
            in = out;
        }
        Model model;
        try {
            model = Model.zeros(input, specs, blas);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(where + ": " + e.getMessage());
        }
        try {
            for (int i = 0; i < specs.size(); i++) {
                Dense d = model.denseLayers().get(i);
                d.weights().copyFrom(weights.get(i).data());
                d.bias().copyFrom(biases.get(i).data());
            }
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    /** {@code a}, once its shape is {@code shape} and every value is finite. */
    private static NpyArray checked(NpyArray a, int[] shape, Path file) throws ModelFormatException {
        if (!java.util.Arrays.equals(a.shape(), shape)) {
            throw new ModelFormatException(file + ": " + a.name() + ".npy has shape " + a.shapeString() + " but the layers need "
                    + NpyArray.shapeString(shape) + " (shapes must chain: W1 is input × units1, Wi is units(i−1) × units(i))");
        }
        double[] data = a.data();
        for (int i = 0; i < data.length; i++) {
            if (!Double.isFinite(data[i])) {
                throw new ModelFormatException(file + ": " + a.name() + ".npy holds a non-finite value (" + data[i] + ") at flat index " + i);
            }
        }
        return a;
    }

    private static int positiveInt(Object v, String where, String field) throws ModelFormatException {
        if (v instanceof Long l && l >= 1 && l <= 1_000_000) {
            return (int) l.longValue();
        }
        throw new ModelFormatException(where + ": '" + field + "' must be an integer from 1 to 1000000, got " + Untrusted.quote(v));
    }
}

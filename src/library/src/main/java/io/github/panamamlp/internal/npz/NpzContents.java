package io.github.panamamlp.internal.npz;

import io.github.panamamlp.io.ModelFormatException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link Npz#read} found in an {@code .npz} file: its float arrays by name, and the JSON text
 * entry if the file has one.
 *
 * @param file          the file that was read, for error messages
 * @param arrays        the arrays by name (without {@code .npy}), in the order of the zip entries;
 *                      unmodifiable
 * @param jsonEntryName the name (without {@code .npy}) of the text entry holding JSON, or {@code null}
 *                      if the file has none
 * @param json          the JSON text, or {@code null} if the file has none
 * @param jsonValue     the JSON text as parsed once by {@link Npz#read} (maps, lists, strings, numbers;
 *                      see {@link io.github.panamamlp.internal.Json}), or {@code null} if the file has none
 */
public record NpzContents(Path file, Map<String, NpyArray> arrays, String jsonEntryName, String json, Object jsonValue) {
    /** Copies {@code arrays} into an unmodifiable map that keeps its order. */
    public NpzContents {
        arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
        if ((jsonEntryName == null) != (json == null)) {
            throw new IllegalArgumentException("jsonEntryName and json must both be null or both be set");
        }
    }

    /**
     * The array called {@code name}.
     *
     * @param name the array's name
     * @return the array
     *
     * @throws ModelFormatException naming the file and the arrays it does hold, if there is no such array
     */
    public NpyArray array(String name) throws ModelFormatException {
        NpyArray a = arrays.get(name);
        if (a == null) {
            throw new ModelFormatException(file + ": no array '" + name + "' (the file holds "
                    + (arrays.isEmpty() ? "no arrays" : String.join(", ", arrays.keySet())) + ")");
        }
        return a;
    }

    /**
     * The JSON text.
     *
     * @return the text of the JSON entry
     *
     * @throws ModelFormatException naming the file, if it has no JSON entry
     */
    public String requireJson() throws ModelFormatException {
        if (json == null) {
            throw new ModelFormatException(file + ": no JSON entry (a text array such as model_json.npy)");
        }
        return json;
    }
}

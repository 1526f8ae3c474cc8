/**
 * The model file format, which {@link io.github.panamamlp.nn.Model#save(java.nio.file.Path)} writes and
 * {@link io.github.panamamlp.nn.Model#load(java.nio.file.Path)} reads: a numpy {@code .npz} archive of
 * float64 arrays plus one JSON description, read and written with the JDK alone. A malformed file is a
 * {@link io.github.panamamlp.io.ModelFormatException} naming the file, the entry and the problem.
 *
 * <h2>Layout</h2>
 * A zip archive (entries stored uncompressed, as {@code np.savez} writes them) whose entries are all
 * NPY arrays:
 * <ul>
 *   <li>{@code W1.npy, b1.npy, W2.npy, b2.npy, …}: each dense layer's weights (inputs × outputs) and bias
 *       (outputs,), NPY format 1.0, dtype {@code <f8}, C (row-major) order, the data starting at a
 *       multiple of 64 bytes;</li>
 *   <li>{@code mean.npy} and {@code std.npy}, shaped (inputs,), when the model standardizes its input
 *       ({@code (x − mean) / std} before the first layer);</li>
 *   <li>{@code model_json.npy}: the JSON description as a 0-d unicode array, dtype {@code <U}n, which is
 *       exactly what {@code np.array(json_text)} is, e.g.
 *       {@code {"format": "panama-mlp", "version": 2, "input": 4, "layers": [{"type": "dense", "units": 16,
 *       "activation": "relu"}, {"type": "dense", "units": 3, "activation": "softmax"}], "classes": ["setosa",
 *       "versicolor", "virginica"], "features": ["sepal_length", …]}}. {@code classes} (one name per
 *       output) and {@code features} (one name per input) are there when the model has them.</li>
 * </ul>
 *
 * <h2>Versions</h2>
 * Version 1 holds the layers and their parameters. Version 2 adds the optional {@code classes},
 * {@code features}, {@code mean.npy} and {@code std.npy}; a model without them is written the same as in
 * version 1 but for the number. Version 2 is written, 1 and 2 are read, and any other version is refused
 * naming the versions this build reads.
 *
 * <h2>Why the JSON is a 0-d {@code <U} array and not a raw {@code model.json} member</h2>
 * {@code np.load} is built for {@code .npy} members: a {@code <U} array is listed in {@code .files} by
 * every numpy version and is loaded with the default {@code allow_pickle=False}, as a Python string. So
 * numpy users work with a model file without any extra tool:
 * <pre>{@code
 * d = np.load("model.npz")
 * spec = json.loads(str(d["model_json"]))         # the layer description
 * W1 = d["W1"]                                    # float64 arrays, C order
 * np.savez("model.npz", model_json=json.dumps(spec), W1=W1, ...)   # a file we can read
 * }</pre>
 * The cost is that {@code unzip -p model.npz model_json.npy} shows UTF-32 behind an NPY header rather
 * than plain JSON; the description is small, so the 4 bytes per character do not matter. For reading,
 * a 0-d {@code |S}n array of UTF-8 bytes ({@code np.array(json_text.encode())}) is accepted too.
 *
 * <h2>Reading what numpy writes</h2>
 * Loading accepts NPY versions 1.0, 2.0 and 3.0, stored or deflated entries ({@code np.savez_compressed}),
 * float64 and float32 in either byte order (float32 is widened exactly to double), and Fortran-ordered
 * arrays, which it transposes into row-major order. Anything else (other dtypes, more than 2 dimensions,
 * entries that are not {@code .npy}, a second text entry) is rejected with a
 * {@link io.github.panamamlp.io.ModelFormatException} naming the file, the entry and the problem.
 */
package io.github.panamamlp.io;

/**
 * The model file format: a numpy {@code .npz} archive of float64 arrays plus one JSON description,
 * read and written with the JDK alone ({@link io.github.panamamlp.io.Npz}).
 *
 * <h2>Layout</h2>
 * A zip archive (entries stored uncompressed, as {@code np.savez} writes them) whose entries are all
 * NPY arrays:
 * <ul>
 *   <li>{@code NAME.npy} for each array: NPY format 1.0, dtype {@code <f8}, C (row-major) order,
 *       0 to 2 dimensions, the data starting at a multiple of 64 bytes;</li>
 *   <li>{@code model_json.npy} (the name is the writer's choice): the JSON text as a 0-d unicode array,
 *       dtype {@code <U}n, which is exactly what {@code np.array(json_text)} is.</li>
 * </ul>
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
 * {@link io.github.panamamlp.io.Npz#read} accepts NPY versions 1.0, 2.0 and 3.0, stored or deflated
 * entries ({@code np.savez_compressed}), float64 and float32 in either byte order (float32 is widened
 * exactly to double), and Fortran-ordered arrays, which it transposes into row-major order. Anything
 * else (other dtypes, more than 2 dimensions, entries that are not {@code .npy}, a second text entry)
 * is rejected with a {@link io.github.panamamlp.io.ModelFormatException} naming the file, the entry and
 * the problem.
 */
package io.github.panamamlp.io;

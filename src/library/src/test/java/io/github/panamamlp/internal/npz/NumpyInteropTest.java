package io.github.panamamlp.internal.npz;

import io.github.panamamlp.reference.PythonWithNumpy;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Cross-checks with real numpy through {@code python3} ({@link PythonWithNumpy}): numpy reads what we write, and we read what
 * numpy writes. Without python3 and numpy these tests fail, since the cross-check is their point; run
 * with {@code -Dpanamamlp.skipNumpy=true} to have them reported as skipped instead.
 */
class NumpyInteropTest {

    @TempDir
    Path dir;

    /** Why numpy cannot be used, or null when it can; found once for all tests. */
    private static String numpyProblem;

    @BeforeAll
    static void findNumpy() throws Exception {
        try {
            Result r = run(List.of(PythonWithNumpy.command(), "-c", "import numpy; print(numpy.__version__)"));
            List<String> errorLines = r.stderr.strip().lines().toList();
            numpyProblem = r.exit == 0 ? null : PythonWithNumpy.command() + " cannot import numpy: "
                    + (errorLines.isEmpty() ? "exit " + r.exit : errorLines.getLast());
        } catch (IOException e) {
            numpyProblem = PythonWithNumpy.command() + " cannot be started: " + e.getMessage();
        }
    }

    /** Per test, so that with the skip switch every test shows up as skipped, never as passed. */
    @BeforeEach
    void requireNumpy() {
        if (numpyProblem != null) {
            String message = numpyProblem + ". These tests check our files against real numpy; install numpy"
                    + " (pip install numpy) or run with -Dpanamamlp.skipNumpy=true to report them as skipped.";
            if (Boolean.getBoolean("panamamlp.skipNumpy")) {
                Assumptions.abort(message);
            }
            fail(message);
        }
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Path err = Files.createTempFile("numpy-interop", ".stderr");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile());
            pb.environment().put("PYTHONUTF8", "1");
            pb.environment().put("PYTHONIOENCODING", "utf-8");
            Process p = pb.start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("python3 did not finish within 60 s: " + command);
            }
            return new Result(p.exitValue(), out, Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static String python(String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(PythonWithNumpy.command(), "-c", script));
        command.addAll(List.of(args));
        Result r = run(command);
        if (r.exit != 0) {
            fail("python3 failed (exit " + r.exit + "):\n" + r.stderr + "\nstdout:\n" + r.stdout);
        }
        return r.stdout;
    }

    // ------------------------------------------------------------------------- numpy reads our files

    /** Prints one line per entry: kind, name, dtype, shape, memory order and the element bits in C order. */
    private static final String DESCRIBE = """
            import sys, json, numpy as np
            d = np.load(sys.argv[1])  # allow_pickle=False, the default: nothing here needs pickle
            print("files " + " ".join(d.files))
            for k in d.files:
                a = d[k]
                if a.dtype.kind == "U":
                    text = str(a)
                    json.loads(text)
                    expected = open(sys.argv[2], encoding="utf-8").read()
                    print("text", k, a.dtype.str, "shape=" + ",".join(map(str, a.shape)), text == expected)
                else:
                    bits = np.ascontiguousarray(a).reshape(-1).view("<u8")
                    print("array", k, a.dtype.str, "shape=" + ",".join(map(str, a.shape)),
                          "C" if a.flags.c_contiguous else "F", " ".join("%016x" % b for b in bits))
            """;

    @Test
    void numpyReadsWhatWeWrite() throws Exception {
        Path file = dir.resolve("model.npz");
        List<NpyArray> arrays = NpzWriteReadTest.sampleArrays();
        Npz.write(file, arrays, "model_json", NpzWriteReadTest.JSON);
        Path expectedJson = dir.resolve("expected.json");
        Files.writeString(expectedJson, NpzWriteReadTest.JSON, StandardCharsets.UTF_8);

        List<String> lines = python(DESCRIBE, file.toString(), expectedJson.toString()).lines().toList();
        List<String> names = new ArrayList<>(List.of("model_json"));
        arrays.forEach(a -> names.add(a.name()));
        assertEquals("files " + String.join(" ", names), lines.get(0));
        int codePoints = NpzWriteReadTest.JSON.codePointCount(0, NpzWriteReadTest.JSON.length());
        assertEquals("text model_json <U" + codePoints + " shape= True", lines.get(1),
                "numpy sees the JSON as a 0-d str array equal to what we wrote");
        for (int i = 0; i < arrays.size(); i++) {
            NpyArray a = arrays.get(i);
            String[] f = lines.get(i + 2).split(" ", 6);
            assertEquals(List.of("array", a.name(), "<f8", "shape=" + shapeCsv(a.shape()), "C"),
                    List.of(f).subList(0, 5), a.name());
            String[] bits = f.length > 5 && !f[5].isEmpty() ? f[5].split(" ") : new String[0];
            assertEquals(a.data().length, bits.length, a.name() + ": element count");
            for (int j = 0; j < bits.length; j++) {
                assertEquals(String.format("%016x", Double.doubleToRawLongBits(a.data()[j])), bits[j],
                        a.name() + "[" + j + "] (" + a.data()[j] + ")");
            }
        }
        assertEquals(arrays.size() + 2, lines.size());
    }

    private static String shapeCsv(int[] shape) {
        return String.join(",", Arrays.stream(shape).mapToObj(Integer::toString).toList());
    }

    // ------------------------------------------------------------------------- we read numpy's files

    private static final String SPEC_JSON = "{\"layers\": [{\"in\": 784, \"out\": 50, \"activation\": \"sigmoid\"}],"
            + " \"name\": \"tutorial \\u00e9\\ud83d\\ude00\"}";

    private static final String MAKE = """
            import sys, json, numpy as np
            spec = {"layers": [{"in": 784, "out": 50, "activation": "sigmoid"}], "name": "tutorial \\u00e9\\U0001F600"}
            text = json.dumps(spec)  # ASCII with \\u escapes, which is exactly SPEC_JSON
            mode = sys.argv[2]
            arrays = dict(
                W=np.arange(12, dtype=np.float64).reshape(3, 4) / 7.0,
                specials=np.array([0.0, -0.0, 5e-324, -5e-324, 1e-310, 2.2250738585072014e-308,
                                   1.7976931348623157e308, float("inf"), float("-inf"), 1e-300, 1e300]),
                F=np.asfortranarray(np.arange(6, dtype=np.float64).reshape(2, 3) * 1.5),
                f4=np.array([0.1, -2.5, 3e38, 1e-45], dtype=np.float32),
                be=(np.arange(4) * 0.25).astype(">f8"),
                scalar=np.float64(3.25),
                empty=np.zeros((0, 3)),
                col=np.arange(3.0).reshape(3, 1),
            )
            arrays["model_json"] = np.bytes_(text.encode("utf-8")) if mode == "bytes_json" else text
            save = np.savez_compressed if mode == "savez_compressed" else np.savez
            save(sys.argv[1], **arrays)
            print(text)
            """;

    @ParameterizedTest
    @ValueSource(strings = {"savez", "savez_compressed", "bytes_json"})
    void weReadWhatNumpyWrites(String mode) throws Exception {
        Path file = dir.resolve("numpy.npz");
        String printed = python(MAKE, file.toString(), mode).strip();
        assertEquals(SPEC_JSON, printed, "the JSON text numpy stored");

        NpzContents c = Npz.read(file);
        assertEquals(SPEC_JSON, c.json());
        assertEquals("model_json", c.jsonEntryName());
        Map<?, ?> spec = (Map<?, ?>) c.jsonValue();
        assertEquals("tutorial é😀", spec.get("name"));

        Map<String, double[]> expected = new LinkedHashMap<>();
        expected.put("W", generate(12, k -> k / 7.0));
        expected.put("specials", new double[]{0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-310,
                Double.MIN_NORMAL, Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-300, 1e300});
        expected.put("F", generate(6, k -> k * 1.5)); // row-major, although numpy stored it column-major
        expected.put("f4", new double[]{0.1f, -2.5f, 3e38f, 1e-45f});
        expected.put("be", generate(4, k -> k * 0.25));
        expected.put("scalar", new double[]{3.25});
        expected.put("empty", new double[0]);
        expected.put("col", generate(3, k -> k));
        Map<String, int[]> shapes = Map.of("W", new int[]{3, 4}, "specials", new int[]{11}, "F", new int[]{2, 3},
                "f4", new int[]{4}, "be", new int[]{4}, "scalar", new int[0], "empty", new int[]{0, 3},
                "col", new int[]{3, 1});

        assertEquals(expected.keySet(), c.arrays().keySet());
        for (var e : expected.entrySet()) {
            NpyArray a = c.array(e.getKey());
            assertArrayEquals(shapes.get(e.getKey()), a.shape(), e.getKey());
            NpzWriteReadTest.assertSameBits(e.getValue(), a.data(), mode + ": " + e.getKey());
        }
        // Make sure the interesting layouts really were in the file, so the paths above were exercised.
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertTrue(entryText(zip, "F.npy").contains("'fortran_order': True"), "F is stored column-major");
            assertTrue(entryText(zip, "be.npy").contains("'descr': '>f8'"), "be is stored big-endian");
            assertTrue(entryText(zip, "model_json.npy").contains(mode.equals("bytes_json") ? "'|S" : "'<U"));
        }
    }

    private static String entryText(ZipFile zip, String name) throws IOException {
        try (InputStream in = zip.getInputStream(zip.getEntry(name))) {
            return new String(in.readNBytes(200), StandardCharsets.ISO_8859_1);
        }
    }

    private static double[] generate(int n, java.util.function.IntToDoubleFunction f) {
        double[] d = new double[n];
        for (int k = 0; k < n; k++) {
            d[k] = f.applyAsDouble(k);
        }
        return d;
    }

    @Test
    void weReadNpyVersions2And3WrittenByNumpy() throws Exception {
        Path file = dir.resolve("versions.npz");
        python("""
                import sys, zipfile, numpy as np
                with zipfile.ZipFile(sys.argv[1], "w") as z:
                    for name, version, values in (("v1", (1, 0), [1.0]), ("v2", (2, 0), [2.0, 2.5]),
                                                  ("v3", (3, 0), [3.0, 3.5, 3.75])):
                        with z.open(name + ".npy", "w") as f:
                            np.lib.format.write_array(f, np.array(values), version=version)
                """, file.toString());
        NpzContents c = Npz.read(file);
        NpzWriteReadTest.assertSameBits(new double[]{1.0}, c.array("v1").data(), "v1");
        NpzWriteReadTest.assertSameBits(new double[]{2.0, 2.5}, c.array("v2").data(), "v2");
        NpzWriteReadTest.assertSameBits(new double[]{3.0, 3.5, 3.75}, c.array("v3").data(), "v3");
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertEquals(2, zip.getInputStream(zip.getEntry("v2.npy")).readNBytes(7)[6], "really version 2");
            assertEquals(3, zip.getInputStream(zip.getEntry("v3.npy")).readNBytes(7)[6], "really version 3");
        }
    }

    @Test
    void numpyRoundTripsOurFileThroughItsOwnSavez() throws Exception {
        // Ours → numpy → np.savez → ours: the description and every bit survive both directions.
        Path ours = dir.resolve("ours.npz");
        Path theirs = dir.resolve("theirs.npz");
        List<NpyArray> arrays = NpzWriteReadTest.sampleArrays();
        Npz.write(ours, arrays, "model_json", NpzWriteReadTest.JSON);
        python("""
                import sys, numpy as np
                d = np.load(sys.argv[1])
                np.savez(sys.argv[2], **{k: d[k] for k in d.files})
                """, ours.toString(), theirs.toString());
        NpzContents back = Npz.read(theirs);
        assertEquals(NpzWriteReadTest.JSON, back.json());
        for (NpyArray a : arrays) {
            assertEquals(a, back.array(a.name()));
        }
    }
}

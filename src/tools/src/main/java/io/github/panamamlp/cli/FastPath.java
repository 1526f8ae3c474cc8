package io.github.panamamlp.cli;

import io.github.panamamlp.tensor.DType;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code predict} and {@code summary} without picocli, when their arguments take the plain forms: picocli
 * reads every annotation of a command by reflection before it runs it, and its classes (class file version
 * 49) cannot go into the JDK's AOT cache, so they run interpreted from the jar: {@code predict}'s last class
 * loaded at 0.23 s through picocli and at 0.10 s without it ({@code PANAMA_MLP_OPTS=-Xlog:class+load:file=cl.log:uptime}). Anything this parser does not recognise — help, a missing or repeated option, a value
 * that is not a number — returns null and goes through picocli, which defines the commands and reports
 * the usage errors, so what a user sees does not depend on which path ran ({@code FastPathTest} compares
 * the two).
 */
final class FastPath {
    private static final Set<String> PREDICT = Set.of("--model", "--index", "--image", "--data");
    private static final Set<String> SUMMARY = Set.of("--model");

    private FastPath() {
    }

    /** Runs the command and returns its exit code, or null when picocli must handle the arguments. */
    static Integer run(PrintWriter out, PrintWriter err, String... args) {
        if (args.length == 0 || !(args[0].equals("predict") || args[0].equals("summary"))) {
            return null;
        }
        boolean predict = args[0].equals("predict");
        Map<String, String> values = new HashMap<>();
        boolean verbose = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--verbose")) {
                if (verbose) {
                    return null;
                }
                verbose = true;
                continue;
            }
            String name = a;
            String value;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
                value = args[++i];
            } else {
                return null;
            }
            if (!(predict ? PREDICT : SUMMARY).contains(name) || value.isEmpty() || values.put(name, value) != null) {
                return null;
            }
        }
        for (String v : values.values()) {
            try {
                Path.of(v);
            } catch (java.nio.file.InvalidPathException e) {
                return null; // picocli's conversion error, not a failure of the command
            }
        }
        try {
            if (predict) {
                String model = values.get("--model");
                String index = values.get("--index");
                String image = values.get("--image");
                if (model == null || (index == null) == (image == null) || index != null && !index.matches("-?\\d{1,9}")) {
                    return null;
                }
                Path data = Path.of(values.getOrDefault("--data", "data/mnist"));
                return PredictCommand.run(out, Path.of(model), index == null ? null : Integer.valueOf(index),
                        image == null ? null : Path.of(image), data);
            }
            String model = values.get("--model");
            return SummaryCommand.run(out, model == null ? null : Path.of(model), 784,
                    model == null ? new NetworkOptions().layers(10) : null, model == null ? DType.FLOAT64 : null);
        } catch (Exception e) {
            return Main.report(err, e, verbose);
        } finally {
            out.flush();
        }
    }
}

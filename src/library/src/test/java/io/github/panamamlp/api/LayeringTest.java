package io.github.panamamlp.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library's packages depend on each other one way only, bottom up, as the README's Layout section
 * draws them: {@code bindings.openblas}, {@code internal} and {@code io}; {@code internal.npz} and
 * {@code tensor}; {@code internal.ops}, {@code blas} and {@code data}; {@code internal.access};
 * {@code nn}; {@code train}. No
 * package refers to one above it or beside it (so {@code data}, which yields the batches, knows nothing of
 * {@code train}, which consumes them, and {@code nn} can save, load and evaluate a model without knowing
 * {@code train}). Read
 * from the compiled classes: every class a class file refers to is named in its constant pool.
 */
class LayeringTest {
    private static final String ROOT = "io/github/panamamlp/";
    private static final Pattern REFERENCE = Pattern.compile(Pattern.quote(ROOT) + "([a-z/]+)/[A-Za-z0-9_$]+(?![/A-Za-z0-9_$])");

    /** What each package may use besides itself and the JDK. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("bindings.openblas", Set.of()),
            Map.entry("internal", Set.of()),
            Map.entry("io", Set.of()),
            Map.entry("internal.npz", Set.of("io", "internal")),
            Map.entry("tensor", Set.of("internal")),
            Map.entry("internal.ops", Set.of("tensor", "internal")),
            Map.entry("blas", Set.of("bindings.openblas", "tensor", "internal")),
            Map.entry("data", Set.of("tensor", "internal")),
            Map.entry("internal.access", Set.of("data", "tensor", "internal")),
            Map.entry("nn", Set.of("blas", "data", "tensor", "io", "internal", "internal.access", "internal.npz", "internal.ops")),
            Map.entry("train", Set.of("blas", "data", "nn", "tensor", "internal", "internal.access")));

    @Test
    void noPackageUsesOneAboveIt() throws IOException {
        Path root = ChildProcess.libraryClasses().resolve(ROOT);
        Set<String> seen = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                String pkg = root.relativize(f.getParent()).toString().replace(f.getFileSystem().getSeparator(), ".");
                assertTrue(ALLOWED.containsKey(pkg), "a package the test does not know: " + pkg);
                Matcher m = REFERENCE.matcher(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
                while (m.find()) {
                    String target = m.group(1).replace('/', '.');
                    if (!target.equals(pkg)) {
                        seen.add(pkg + " -> " + target);
                        assertTrue(ALLOWED.get(pkg).contains(target),
                                root.relativize(f) + " refers to " + target + ", but " + pkg + " may only use " + ALLOWED.get(pkg));
                    }
                }
            }
        }
        // The scan does find references: these are all used today.
        assertTrue(seen.containsAll(Set.of("blas -> bindings.openblas", "train -> data", "train -> nn", "nn -> tensor",
                "nn -> io", "nn -> internal.npz", "nn -> internal.ops", "nn -> data", "internal.npz -> io", "internal.ops -> tensor",
                "train -> internal.access")), seen.toString());
    }
}

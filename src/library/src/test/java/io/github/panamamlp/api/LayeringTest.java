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
 * draws them: {@code bindings.openblas} and {@code internal}; {@code tensor}; {@code blas} and
 * {@code data}; {@code nn}; {@code io} and {@code train}. No package refers to one above it or beside it
 * (so {@code data}, which yields the batches, knows nothing of {@code train}, which consumes them). Read
 * from the compiled classes: every class a class file refers to is named in its constant pool.
 */
class LayeringTest {
    private static final String ROOT = "io/github/panamamlp/";
    private static final Pattern REFERENCE = Pattern.compile(Pattern.quote(ROOT) + "([a-z/]+)/[A-Za-z0-9_$]+(?![/A-Za-z0-9_$])");

    /** What each package may use besides itself and the JDK. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "bindings.openblas", Set.of(),
            "internal", Set.of(),
            "tensor", Set.of("internal"),
            "blas", Set.of("bindings.openblas", "tensor", "internal"),
            "data", Set.of("tensor", "internal"),
            "nn", Set.of("blas", "tensor", "internal"),
            "io", Set.of("blas", "nn", "tensor", "internal"),
            "train", Set.of("blas", "data", "nn", "tensor", "internal"));

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
                "io -> internal")), seen.toString());
    }
}

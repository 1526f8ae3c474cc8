package io.github.panamamlp.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.github.panamamlp.api.ChildProcess.tool;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM that denies native access ({@code --illegal-native-access=deny}, JDK 24 and later) gets an
 * {@code OpenBlasUnavailableException} naming the exact flag that allows it: the class-path form when the
 * library is on the class path, the module form when it is on the module path. Run as a user would: a
 * program compiled against the library, in a child JVM.
 */
class NativeAccessDeniedTest {
    private static final String MODULE = "io.github.panamamlp";
    private static final String PROGRAM = """
            package user;

            import io.github.panamamlp.blas.OpenBlas;
            import io.github.panamamlp.blas.OpenBlasUnavailableException;

            public class LoadBlas {
                public static void main(String[] args) {
                    try {
                        System.out.println("loaded " + OpenBlas.info().path());
                    } catch (OpenBlasUnavailableException e) {
                        System.out.println("refused: " + e.getMessage());
                    }
                }
            }
            """;

    @Test
    void deniedNativeAccessNamesTheFlagToAdd(@TempDir Path tmp) throws Exception {
        String library = ChildProcess.libraryClasses().toString();
        Path src = tmp.resolve("src/user/LoadBlas.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, PROGRAM);
        Path classes = tmp.resolve("classes");
        ChildProcess.run(List.of(tool("javac").toString(), "--release", "22", "-cp", library, "-d", classes.toString(),
                src.toString()), 120, tmp).assertSuccess("javac of the program");
        List<String> classPath = List.of("-cp", library + java.io.File.pathSeparator + classes, "user.LoadBlas");
        List<String> modulePath = List.of("--module-path", library, "--add-modules", MODULE, "-cp", classes.toString(), "user.LoadBlas");

        if (Runtime.version().feature() < 24) {
            // JDK 22 and 23 have no deny mode: there a missing flag only warns, and OpenBLAS loads.
            ChildProcess.Result r = java(tmp, List.of(), classPath).assertSuccess("the program");
            assertTrue(r.out().startsWith("loaded "), r.out());
            return;
        }
        ChildProcess.Result cp = java(tmp, List.of("--illegal-native-access=deny"), classPath).assertSuccess("class path, denied");
        assertTrue(cp.out().startsWith("refused: ") && cp.out().contains("Run java with --enable-native-access=ALL-UNNAMED"), cp.out());
        ChildProcess.Result mp = java(tmp, List.of("--illegal-native-access=deny"), modulePath).assertSuccess("module path, denied");
        assertTrue(mp.out().startsWith("refused: ") && mp.out().contains("Run java with --enable-native-access=" + MODULE), mp.out());
        assertFalse(mp.out().contains("ALL-UNNAMED"), mp.out());
        // The flag each message names is the one that works.
        ChildProcess.Result ok = java(tmp, List.of("--illegal-native-access=deny", "--enable-native-access=" + MODULE), modulePath)
                .assertSuccess("module path, allowed");
        assertTrue(ok.out().startsWith("loaded "), ok.out());
        ChildProcess.Result okCp = java(tmp, List.of("--illegal-native-access=deny", "--enable-native-access=ALL-UNNAMED"), classPath)
                .assertSuccess("class path, allowed");
        assertTrue(okCp.out().startsWith("loaded "), okCp.out());
    }

    private static ChildProcess.Result java(Path tmp, List<String> flags, List<String> rest) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(tool("java").toString());
        command.addAll(flags);
        command.addAll(rest);
        return ChildProcess.run(command, 120, tmp);
    }
}

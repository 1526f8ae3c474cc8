package io.github.panamamlp.blas;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenBlasTest {

    @Test
    void reportsWhatWasLoaded() {
        OpenBlas.Info info = OpenBlas.info();
        assertTrue(Files.exists(info.path()), "loaded path exists: " + info.path());
        assertTrue(info.path().getFileName().toString().contains("openblas"), info.path().toString());
        assertFalse(info.config().isBlank());
        assertTrue(info.config().toLowerCase().contains("openblas"), info.config());
        assertTrue(info.threads() >= 1);
    }

    @Test
    void threadCountIsSetAndReadBack() {
        var before = OpenBlas.forcedThreads();
        try {
            OpenBlas.setThreads(1);
            assertEquals(1, OpenBlas.threads());
            OpenBlas.setThreads(2);
            assertEquals(2, OpenBlas.threads());
            assertThrows(IllegalArgumentException.class, () -> OpenBlas.setThreads(0));
        } finally {
            before.ifPresentOrElse(OpenBlas::setThreads, OpenBlas::setThreadsAuto);
        }
    }

    @Test
    void badOverridePathGivesTheDiagnostic(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path notALibrary = dir.resolve("libopenblas.so");
        Files.writeString(notALibrary, "not an ELF file");
        Path missing = dir.resolve("missing/libopenblas.so");
        for (Path p : List.of(notALibrary, missing)) {
            List<Path> candidates = OpenBlas.candidates(p.toString(), "system property " + OpenBlas.PATH_PROPERTY);
            assertEquals(List.of(p), candidates, "an explicit path is the only candidate");
            OpenBlasUnavailableException e = assertThrows(OpenBlasUnavailableException.class,
                    () -> OpenBlas.loadFirst(candidates, "system property " + OpenBlas.PATH_PROPERTY));
            String msg = e.getMessage();
            assertTrue(msg.contains(p.toString()), msg);
            assertTrue(msg.contains(System.getProperty("os.name")), msg);
            assertTrue(msg.contains("apt-get install") || msg.contains("brew install"), msg);
            assertTrue(msg.contains(OpenBlas.PATH_PROPERTY), msg);
        }
    }

    /**
     * The macOS list, asked for on Linux by giving the OS name: the dyld variables, java.library.path,
     * $HOMEBREW_PREFIX, Homebrew's two default prefixes, and last the bare name for dyld to search.
     */
    @Test
    void macCandidatesFollowDyldJavaLibraryPathAndHomebrewThenTheBareName() {
        Map<String, String> env = Map.of("DYLD_LIBRARY_PATH", "/dyld/a:/dyld/b", "DYLD_FALLBACK_LIBRARY_PATH", "/fallback",
                "HOMEBREW_PREFIX", "/custom/brew", "LD_LIBRARY_PATH", "/ignored/on/mac");
        List<Path> mac = OpenBlas.candidates(null, "Mac OS X", "aarch64", env::get, "/jlp");
        List<String> dirs = List.of("/dyld/a", "/dyld/b", "/fallback", "/jlp", "/custom/brew/opt/openblas/lib",
                "/opt/homebrew/opt/openblas/lib", "/usr/local/opt/openblas/lib");
        List<Path> expected = new ArrayList<>();
        for (String d : dirs) {
            expected.add(Path.of(d, "libopenblas.dylib"));
            expected.add(Path.of(d, "libopenblas.0.dylib"));
        }
        expected.add(Path.of("libopenblas.dylib"));
        assertEquals(expected, mac);
        // Without the variables: Homebrew's defaults, then the name.
        assertEquals(List.of(Path.of("/opt/homebrew/opt/openblas/lib/libopenblas.dylib"),
                Path.of("/opt/homebrew/opt/openblas/lib/libopenblas.0.dylib"),
                Path.of("/usr/local/opt/openblas/lib/libopenblas.dylib"),
                Path.of("/usr/local/opt/openblas/lib/libopenblas.0.dylib"),
                Path.of("libopenblas.dylib")), OpenBlas.candidates(null, "Mac OS X", "x86_64", name -> null, null));
        // Linux ignores the dyld variables and ends with its own bare name; an explicit file is the only candidate.
        List<Path> linux = OpenBlas.candidates(null, "Linux", "amd64", env::get, "/jlp");
        assertEquals(Path.of("/ignored/on/mac/libopenblas.so.0"), linux.getFirst());
        assertTrue(linux.contains(Path.of("/usr/lib/x86_64-linux-gnu/libopenblas.so.0")), linux.toString());
        assertTrue(linux.stream().noneMatch(p -> p.toString().startsWith("/dyld")), linux.toString());
        assertEquals(Path.of("libopenblas.so.0"), linux.getLast());
        assertEquals(List.of(Path.of("/x/libopenblas.dylib")), OpenBlas.candidates("/x/libopenblas.dylib", "Mac OS X", "aarch64", env::get, "/jlp"));
    }

    /** The last resort really works: a bare name is found by the system's loader and its file loaded. */
    @Test
    void aBareNameIsSearchedByTheSystemLoader() throws Exception {
        Path loaded = OpenBlas.load();
        String name = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("mac") ? "libopenblas.dylib" : "libopenblas.so.0";
        List<String> tried = new ArrayList<>();
        Path found = LibraryByName.load(name, tried);
        assertTrue(found != null && found.isAbsolute() && Files.isRegularFile(found), found + " " + tried);
        assertTrue(Files.isSameFile(found, loaded) || found.getFileName().toString().contains("openblas"), found + " vs " + loaded);
        // Through the candidate list: a missing directory first, then the name.
        assertEquals(found, OpenBlas.loadFirst(List.of(Path.of("/no/such/dir/libopenblas.so.0"), Path.of(name)), null));
        assertEquals(null, LibraryByName.load("libno-such-library-panamamlp.so", tried));
        assertTrue(tried.getLast().contains("libno-such-library-panamamlp.so (by name") && tried.getLast().contains("not found"), tried.toString());
    }

    @Test
    void deniedNativeAccessNamesTheFlagForTheClassPathOrTheModulePath() {
        IllegalCallerException denied = new IllegalCallerException("Illegal native access from: unnamed module");
        String classPath = OpenBlas.nativeAccessDenied(ClassLoader.getSystemClassLoader().getUnnamedModule(), denied);
        assertTrue(classPath.contains("Run java with --enable-native-access=ALL-UNNAMED (the library is on the class path)"), classPath);
        String modulePath = OpenBlas.nativeAccessDenied(OpenBlas.class.getModule(), denied);
        assertTrue(modulePath.contains("Run java with --enable-native-access=io.github.panamamlp (the library is on the module path)"), modulePath);
    }

    /** A real shared library that is not OpenBLAS (the JDK's own libjava) is refused with one clear sentence. */
    @Test
    void aLibraryWithoutOpenBlasSymbolsIsRefusedByName() {
        String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
        Path libjava = Path.of(System.getProperty("java.home"), "lib", os.contains("mac") ? "libjava.dylib" : "libjava.so");
        assertTrue(Files.isRegularFile(libjava), libjava.toString());
        OpenBlasUnavailableException e = assertThrows(OpenBlasUnavailableException.class,
                () -> OpenBlas.loadFirst(List.of(libjava), "environment variable " + OpenBlas.PATH_ENV));
        assertTrue(e.getMessage().startsWith("not OpenBLAS: symbol cblas_dgemm not found in " + libjava + " (named by the environment variable "
                + OpenBlas.PATH_ENV), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        // Among searched candidates it is skipped with the reason, and the next one is tried.
        OpenBlasUnavailableException all = assertThrows(OpenBlasUnavailableException.class,
                () -> OpenBlas.loadFirst(List.of(libjava, libjava.resolveSibling("absent.so")), null));
        assertTrue(all.getMessage().contains(libjava + " (not OpenBLAS: symbol cblas_dgemm not found in " + libjava + ")"), all.getMessage());
        assertTrue(all.getMessage().contains("absent.so (not found)"), all.getMessage());
        // The library OpenBLAS was really loaded from has every symbol.
        assertEquals(null, OpenBlas.missingSymbol(OpenBlas.load()));
    }

    @Test
    void defaultCandidatesCoverTheStandardNames() {
        List<Path> c = OpenBlas.candidates(null, null);
        assertFalse(c.isEmpty());
        String all = c.toString();
        if (System.getProperty("os.name").toLowerCase().contains("linux")) {
            assertTrue(all.contains("libopenblas.so.0") && all.contains("libopenblas.so,") || all.endsWith("libopenblas.so]"), all);
        }
    }
}

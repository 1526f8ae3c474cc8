package io.github.panamamlp.blas;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

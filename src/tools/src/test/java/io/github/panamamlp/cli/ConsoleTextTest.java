package io.github.panamamlp.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Output for consoles that cannot show everything, and every error on one line. */
class ConsoleTextTest {

    @Test
    void whatAnAsciiConsoleCannotShowIsWrittenAsAscii() throws Exception {
        StringWriter sink = new StringWriter();
        try (Writer w = ConsoleText.fallback(sink, StandardCharsets.US_ASCII)) {
            w.write("─── 784 → 50 × σ 0.01, é 😀\n");
        }
        assertEquals("--- 784 -> 50 x sigma 0.01, ? ?\n", sink.toString());
        StringWriter utf8 = new StringWriter();
        assertSame(utf8, ConsoleText.fallback(utf8, StandardCharsets.UTF_8), "nothing to replace in UTF-8");
        StringWriter latin1 = new StringWriter();
        try (Writer w = ConsoleText.fallback(latin1, StandardCharsets.ISO_8859_1)) {
            w.write("× é ─");
        }
        assertEquals("× é -", latin1.toString(), "what the charset has is kept");
    }

    @Test
    void summaryDrawsAsciiLinesOnAnAsciiConsole() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(ConsoleText.fallback(out, StandardCharsets.US_ASCII), true),
                new PrintWriter(err, true), "summary");
        assertEquals(0, code, err.toString());
        String text = out.toString();
        assertTrue(text.contains("-".repeat(54)), text);
        assertFalse(text.contains("?"), text);
        assertTrue(text.chars().allMatch(c -> c < 128), text);
        assertTrue(text.contains("Total params: 39,760"), text);
    }

    @Test
    void errorsAndWrappedErrorsAreOneLine() {
        assertEquals("out of memory (Java heap space): give the JVM more with PANAMA_MLP_OPTS=-Xmx… (heap) or use a smaller network",
                Main.oneLine(new OutOfMemoryError("Java heap space")));
        assertEquals("UnsatisfiedLinkError: unresolved symbol: cblas_dgemm",
                Main.oneLine(new UnsatisfiedLinkError("unresolved symbol: cblas_dgemm")));
        assertEquals("not OpenBLAS: symbol cblas_dgemm not found in /x",
                Main.oneLine(new ExceptionInInitializerError(new IllegalStateException("not OpenBLAS: symbol cblas_dgemm\nnot found in /x"))));
        assertEquals("StackOverflowError", Main.oneLine(new StackOverflowError()));
        assertEquals("/a/b: not a directory", Main.oneLine(new java.nio.file.NotDirectoryException("/a/b")));
    }
}

package io.github.panamamlp.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.util.Map;

/**
 * Text for a console whose charset may not encode everything the commands print. Under {@code LANG=C} or
 * {@code POSIX} (the default of containers and cron) the charset is ASCII, and Java would print the
 * summary's box lines and the arrows of the help text as {@code ?}. Each character the charset cannot
 * encode is written as its ASCII look-alike instead ({@code ─} as {@code -}, {@code →} as {@code ->},
 * {@code ×} as {@code x}, …), or {@code ?} when there is none.
 */
final class ConsoleText {
    private static final Map<Character, String> ASCII = Map.ofEntries(
            Map.entry('─', "-"), Map.entry('━', "-"), Map.entry('│', "|"), Map.entry('┃', "|"),
            Map.entry('→', "->"), Map.entry('←', "<-"), Map.entry('×', "x"), Map.entry('·', "."),
            Map.entry('–', "-"), Map.entry('—', "-"), Map.entry('−', "-"), Map.entry('…', "..."),
            Map.entry('σ', "sigma"), Map.entry('β', "beta"), Map.entry('ε', "eps"), Map.entry('μ', "mu"),
            Map.entry('≥', ">="), Map.entry('≤', "<="), Map.entry('≈', "~"), Map.entry('√', "sqrt"),
            Map.entry('²', "^2"), Map.entry('‘', "'"), Map.entry('’', "'"), Map.entry('“', "\""), Map.entry('”', "\""),
            Map.entry('ŷ', "y^"), Map.entry('∂', "d"));

    private ConsoleText() {
    }

    /** {@return a writer to {@code stream} in its charset, with ASCII stand-ins for what that charset cannot encode} */
    static Writer writer(PrintStream stream) {
        Charset cs = stream.charset();
        return fallback(new OutputStreamWriter(stream, cs), cs);
    }

    /** {@return {@code out}, writing in ASCII what {@code charset} cannot encode} */
    static Writer fallback(Writer out, Charset charset) {
        CharsetEncoder encoder = charset.newEncoder();
        if (encoder.canEncode("─→×σ")) {
            return out; // UTF-8 and the like: nothing to replace
        }
        return new FilterWriter(out) {
            @Override
            public void write(int c) throws IOException {
                write(String.valueOf((char) c), 0, 1);
            }

            @Override
            public void write(char[] cbuf, int off, int len) throws IOException {
                write(new String(cbuf, off, len), 0, len);
            }

            @Override
            public void write(String str, int off, int len) throws IOException {
                StringBuilder sb = new StringBuilder(len);
                for (int i = off; i < off + len; i++) {
                    char ch = str.charAt(i);
                    if (ch < 128 || encoder.canEncode(ch)) {
                        sb.append(ch);
                    } else {
                        sb.append(ASCII.getOrDefault(ch, Character.isSurrogate(ch) ? (Character.isHighSurrogate(ch) ? "?" : "") : "?"));
                    }
                }
                out.write(sb.toString());
            }
        };
    }
}

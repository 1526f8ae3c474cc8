package io.github.panamamlp.internal;

/**
 * Text from a file or the command line, made safe to print in a message: the one place that decides how.
 * A hostile or broken file can hold line breaks, terminal escape codes, NUL bytes or megabytes of text;
 * the message shows them as escapes and cut short, so it stays one readable line.
 */
public final class Untrusted {
    /** The most characters of untrusted text a message shows. */
    public static final int MAX_CHARS = 200;

    private Untrusted() {
    }

    /**
     * {@code s} with every character outside printable ASCII written as {@code \}{@code uXXXX}, cut after
     * {@code max} characters (then ending in "...").
     *
     * @param s   the text, or null (shown as {@code null})
     * @param max the most characters kept, at least 0
     * @return the printable text
     */
    public static String printable(String s, int max) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < max; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return s.length() > max ? sb + "..." : sb.toString();
    }

    /**
     * {@link #printable(String, int)} with {@link #MAX_CHARS}.
     *
     * @param s the text, or null
     * @return the printable text
     */
    public static String printable(String s) {
        return printable(s, MAX_CHARS);
    }

    /**
     * A value for a message: a string in single quotes, anything else as {@code String.valueOf}, both
     * {@linkplain #printable(String) made printable}.
     *
     * @param value the value, or null
     * @return the quoted, printable text
     */
    public static String quote(Object value) {
        return value instanceof String s ? "'" + printable(s) + "'" : printable(String.valueOf(value));
    }

    /**
     * One character or byte value for a message: quoted when printable ASCII, else as {@code U+XXXX}
     * (it may be a control character).
     *
     * @param c the character
     * @return the printable description
     */
    public static String character(int c) {
        return c >= 0x20 && c < 0x7f ? "'" + (char) c + "'" : String.format("U+%04X", c);
    }
}

package io.github.panamamlp.internal;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The project's one JSON class: a small, strict JSON (RFC 8259) reader and writer, so the library core
 * needs no JSON dependency. The model file's description, the training history and the benchmark's
 * report and C program all go through it.
 *
 * <p>Values map to Java as follows: object ↔ {@code Map<String, Object>} (key order kept), array ↔
 * {@code List<Object>}, string ↔ {@link String}, {@code true}/{@code false} ↔ {@link Boolean},
 * {@code null} ↔ {@code null}. A number without fraction or exponent that fits a {@code long} parses
 * to {@link Long}, any other number to {@link Double}. The maps and lists returned by
 * {@link #parse} are unmodifiable.
 *
 * <p>The parser is strict: it rejects trailing characters, duplicate object keys, leading zeros,
 * {@code NaN}/{@code Infinity}, numbers that overflow a {@code double}, unescaped control characters,
 * unknown escapes, unpaired UTF-16 surrogates, nesting deeper than {@link #MAX_DEPTH} and text longer
 * than {@link #MAX_TEXT_CHARS}. The writer refuses the same things, so whatever it writes, the parser
 * reads back.
 */
public final class Json {
    /** The deepest nesting of objects and arrays accepted: a top-level {@code [[1]]} has depth 2. */
    public static final int MAX_DEPTH = 64;
    /** The longest text {@link #parse} accepts, in chars. */
    public static final int MAX_TEXT_CHARS = 16 * 1024 * 1024;

    private Json() {
    }

    /** Text that is not valid JSON within the limits; the message names the source, line and column. */
    public static final class SyntaxException extends IOException {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message);
        }
    }

    /**
     * Parses one JSON value that makes up all of {@code text} (surrounding whitespace allowed).
     *
     * @param text   the JSON text
     * @param source names where the text came from, for error messages (e.g. {@code "model.npz: model_json.npy"})
     * @return the value: {@code null}, {@link Boolean}, {@link String}, a number, {@link java.util.List} or
     *         {@link java.util.Map} (see the class description for the exact types)
     * @throws SyntaxException if the text is not valid JSON within the limits; the message starts
     *         with {@code source} and gives the line and column of the problem
     */
    public static Object parse(String text, String source) throws SyntaxException {
        if (text.length() > MAX_TEXT_CHARS) {
            throw new SyntaxException(source + ": JSON text of " + text.length()
                    + " chars exceeds the limit of " + MAX_TEXT_CHARS);
        }
        return new Parser(text, source).parseDocument();
    }

    /**
     * Writes {@code value} as compact JSON. Accepted: {@code null}, {@link Boolean}, {@link String},
     * finite {@link Double}/{@link Float}, {@link Long}/{@link Integer}/{@link Short}/{@link Byte},
     * {@link BigInteger}, {@link BigDecimal}, {@link Map} with {@link String} keys, {@link Collection},
     * {@code Object[]}, {@code int[]}, {@code long[]} and {@code double[]}.
     *
     * @param value the value to write
     * @return the JSON text
     * @throws IllegalArgumentException for any other type, a non-finite number, a non-string key, an
     *         unpaired surrogate in a string, or nesting deeper than {@link #MAX_DEPTH}
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        writeValue(value, out, 0, false);
        return out.toString();
    }

    /**
     * Writes {@code value} like {@link #write}, indented two spaces a level with one member or element
     * per line, and a final newline: for files people read (the history, the benchmark report).
     *
     * @param value the value to write
     * @return the JSON text
     * @throws IllegalArgumentException as {@link #write}
     */
    public static String writeIndented(Object value) {
        StringBuilder out = new StringBuilder();
        writeValue(value, out, 0, true);
        return out.append('\n').toString();
    }

    private static void newline(StringBuilder out, int depth, boolean indent) {
        if (indent) {
            out.append('\n').append("  ".repeat(depth));
        }
    }

    private static void writeValue(Object value, StringBuilder out, int depth, boolean indent) {
        switch (value) {
            case null -> out.append("null");
            case Boolean b -> out.append(b.booleanValue());
            case String s -> writeString(s, out);
            case Double d -> out.append(finite(d, d.isNaN() || d.isInfinite()));
            case Float f -> out.append(finite(f, f.isNaN() || f.isInfinite()));
            case Long l -> out.append(l.longValue());
            case Integer i -> out.append(i.intValue());
            case Short s -> out.append(s.shortValue());
            case Byte b -> out.append(b.byteValue());
            case BigInteger b -> out.append(b);
            case BigDecimal b -> out.append(b);
            case Map<?, ?> map -> {
                enter(depth);
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!(e.getKey() instanceof String key)) {
                        throw new IllegalArgumentException("JSON object keys must be strings, not " + e.getKey());
                    }
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    newline(out, depth + 1, indent);
                    writeString(key, out);
                    out.append(indent ? ": " : ":");
                    writeValue(e.getValue(), out, depth + 1, indent);
                }
                if (!first) {
                    newline(out, depth, indent);
                }
                out.append('}');
            }
            case Collection<?> c -> writeArray(c, out, depth, indent);
            case Object[] a -> writeArray(Arrays.asList(a), out, depth, indent);
            case int[] a -> writeArray(Arrays.stream(a).boxed().toList(), out, depth, indent);
            case long[] a -> writeArray(Arrays.stream(a).boxed().toList(), out, depth, indent);
            case double[] a -> writeArray(Arrays.stream(a).boxed().toList(), out, depth, indent);
            default -> throw new IllegalArgumentException(
                    "cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    private static String finite(Number n, boolean nonFinite) {
        if (nonFinite) {
            throw new IllegalArgumentException("JSON has no representation for " + n);
        }
        return n.toString(); // Double/Float.toString forms like 1.0E-5 are valid JSON numbers
    }

    private static void enter(int depth) {
        if (depth >= MAX_DEPTH) {
            throw new IllegalArgumentException("JSON nesting deeper than " + MAX_DEPTH + " (a cycle?)");
        }
    }

    private static void writeArray(Collection<?> items, StringBuilder out, int depth, boolean indent) {
        enter(depth);
        out.append('[');
        boolean first = true;
        // Arrays of numbers stay on one line even when indented: a row of figures reads best as a row.
        boolean flat = items.stream().allMatch(x -> x instanceof Number);
        for (Object item : items) {
            if (!first) {
                out.append(flat && indent ? ", " : ",");
            }
            first = false;
            newline(out, depth + 1, indent && !flat);
            writeValue(item, out, depth + 1, indent);
        }
        if (!first) {
            newline(out, depth, indent && !flat);
        }
        out.append(']');
    }

    // ---- typed access to parsed objects, with messages that name the field ----

    /**
     * A parsed JSON object.
     *
     * @param value  a value from {@link #parse}
     * @param what   names the value in the message
     * @return the value as a map
     * @throws IllegalArgumentException if it is not an object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object value, String what) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(what + " must be a JSON object, got " + describe(value));
        }
        return (Map<String, Object>) value;
    }

    /**
     * A required number field.
     *
     * @param obj the object
     * @param key the field
     * @return its value
     * @throws IllegalArgumentException naming the field if it is missing or not a number
     */
    public static double number(Map<String, Object> obj, String key) {
        if (!(obj.get(key) instanceof Number d)) {
            throw fieldError(obj, key, "a number");
        }
        return d.doubleValue();
    }

    /**
     * A required integer field within [min, max].
     *
     * @param obj the object
     * @param key the field
     * @param min the smallest value accepted
     * @param max the largest value accepted
     * @return its value
     * @throws IllegalArgumentException naming the field if it is missing, not an integer or out of range
     */
    public static long integer(Map<String, Object> obj, String key, long min, long max) {
        double d = number(obj, key);
        if (d != Math.rint(d) || d < min || d > max) {
            throw new IllegalArgumentException("field \"" + key + "\" must be an integer in [" + min + ", " + max + "], got " + d);
        }
        return (long) d;
    }

    /**
     * A required boolean field.
     *
     * @param obj the object
     * @param key the field
     * @return its value
     * @throws IllegalArgumentException naming the field if it is missing or not a boolean
     */
    public static boolean bool(Map<String, Object> obj, String key) {
        if (!(obj.get(key) instanceof Boolean b)) {
            throw fieldError(obj, key, "true or false");
        }
        return b;
    }

    /**
     * A required string field.
     *
     * @param obj the object
     * @param key the field
     * @return its value
     * @throws IllegalArgumentException naming the field if it is missing or not a string
     */
    public static String string(Map<String, Object> obj, String key) {
        if (!(obj.get(key) instanceof String s)) {
            throw fieldError(obj, key, "a string");
        }
        return s;
    }

    /**
     * A required array of numbers.
     *
     * @param obj the object
     * @param key the field
     * @return its values as doubles
     * @throws IllegalArgumentException naming the field if it is missing, not an array, or holds a non-number
     */
    public static List<Double> numbers(Map<String, Object> obj, String key) {
        if (!(obj.get(key) instanceof List<?> list)) {
            throw fieldError(obj, key, "an array");
        }
        List<Double> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof Number d)) {
                throw new IllegalArgumentException("field \"" + key + "\" must hold only numbers, found " + describe(o));
            }
            out.add(d.doubleValue());
        }
        return out;
    }

    private static IllegalArgumentException fieldError(Map<String, Object> obj, String key, String expected) {
        return new IllegalArgumentException("field \"" + key + "\" must be " + expected + ", got "
                + (obj.containsKey(key) ? describe(obj.get(key)) : "nothing"));
    }

    private static String describe(Object v) {
        return v == null ? "null" : v instanceof Map ? "an object" : v instanceof List ? "an array"
                : v instanceof String ? "a string" : v instanceof Number ? "a number" : "a boolean";
    }

    private static void writeString(String s, StringBuilder out) {
        int unpaired = unpairedSurrogate(s);
        if (unpaired >= 0) {
            throw new IllegalArgumentException("string has an unpaired surrogate at index " + unpaired);
        }
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** The index of the first unpaired UTF-16 surrogate in {@code s}, or -1: such text has no UTF-8 form. */
    static int unpairedSurrogate(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** Recursive descent over the RFC 8259 grammar; depth is bounded, so recursion is too. */
    private static final class Parser {
        private final String text;
        private final String source;
        private int pos;

        Parser(String text, String source) {
            this.text = text;
            this.source = source;
        }

        Object parseDocument() throws SyntaxException {
            Object value = parseValue(0);
            skipWhitespace();
            if (pos < text.length()) {
                throw error("unexpected " + describe(pos) + " after the JSON value");
            }
            return value;
        }

        private Object parseValue(int depth) throws SyntaxException {
            skipWhitespace();
            if (pos >= text.length()) {
                throw error("unexpected end of input, expected a value");
            }
            char c = text.charAt(pos);
            return switch (c) {
                case '{' -> parseObject(depth + 1);
                case '[' -> parseArray(depth + 1);
                case '"' -> parseString();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield parseNumber();
                    }
                    throw error("unexpected " + describe(pos) + ", expected a value");
                }
            };
        }

        private Map<String, Object> parseObject(int depth) throws SyntaxException {
            checkDepth(depth);
            pos++; // '{'
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return Collections.unmodifiableMap(map);
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw error("unexpected " + describe(pos) + ", expected a string key");
                }
                int keyPos = pos;
                String key = parseString();
                skipWhitespace();
                expect(':');
                Object value = parseValue(depth);
                if (map.containsKey(key)) {
                    pos = keyPos;
                    throw error("duplicate key " + Untrusted.quote(key));
                }
                map.put(key, value);
                skipWhitespace();
                char c = peek();
                if (c == ',') {
                    pos++;
                } else if (c == '}') {
                    pos++;
                    return Collections.unmodifiableMap(map);
                } else {
                    throw error("unexpected " + describe(pos) + ", expected ',' or '}'");
                }
            }
        }

        private List<Object> parseArray(int depth) throws SyntaxException {
            checkDepth(depth);
            pos++; // '['
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return Collections.unmodifiableList(list);
            }
            while (true) {
                list.add(parseValue(depth));
                skipWhitespace();
                char c = peek();
                if (c == ',') {
                    pos++;
                } else if (c == ']') {
                    pos++;
                    return Collections.unmodifiableList(list);
                } else {
                    throw error("unexpected " + describe(pos) + ", expected ',' or ']'");
                }
            }
        }

        private void checkDepth(int depth) throws SyntaxException {
            if (depth > MAX_DEPTH) {
                throw error("nesting deeper than " + MAX_DEPTH);
            }
        }

        private String parseString() throws SyntaxException {
            int start = pos;
            pos++; // opening quote
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    pos = start;
                    throw error("unterminated string");
                }
                char c = text.charAt(pos);
                if (c == '"') {
                    pos++;
                    break;
                }
                if (c < 0x20) {
                    throw error(String.format("control character U+%04X must be escaped in a string", (int) c));
                }
                if (c != '\\') {
                    sb.append(c);
                    pos++;
                    continue;
                }
                if (pos + 1 >= text.length()) {
                    pos = start;
                    throw error("unterminated string");
                }
                char e = text.charAt(pos + 1);
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        sb.append((char) hex4(pos + 2));
                        pos += 4;
                    }
                    default -> throw error("invalid escape \\" + Untrusted.character(e));
                }
                pos += 2;
            }
            int unpaired = unpairedSurrogate(sb);
            if (unpaired >= 0) {
                pos = start;
                throw error("string has an unpaired UTF-16 surrogate");
            }
            return sb.toString();
        }

        private int hex4(int at) throws SyntaxException {
            if (at + 4 > text.length()) {
                pos = at;
                throw error("\\u needs four hex digits");
            }
            int v = 0;
            for (int i = at; i < at + 4; i++) {
                int d = hexDigit(text.charAt(i));
                if (d < 0) {
                    pos = at;
                    throw error("\\u needs four hex digits");
                }
                v = v * 16 + d;
            }
            return v;
        }

        private static int hexDigit(char c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            if (c >= 'A' && c <= 'F') {
                return c - 'A' + 10;
            }
            return -1;
        }

        private Object parseNumber() throws SyntaxException {
            int start = pos;
            boolean integral = true;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
                if (isDigit(peek())) {
                    pos = start;
                    throw error("leading zeros are not allowed in numbers");
                }
            } else if (isDigit(peek())) {
                digits();
            } else {
                throw error("unexpected " + describe(pos) + ", expected a digit");
            }
            if (peek() == '.') {
                integral = false;
                pos++;
                if (!isDigit(peek())) {
                    throw error("unexpected " + describe(pos) + ", expected a digit after '.'");
                }
                digits();
            }
            if (peek() == 'e' || peek() == 'E') {
                integral = false;
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                if (!isDigit(peek())) {
                    throw error("unexpected " + describe(pos) + ", expected a digit in the exponent");
                }
                digits();
            }
            String literal = text.substring(start, pos);
            if (integral) {
                try {
                    return Long.parseLong(literal);
                } catch (NumberFormatException tooBig) {
                    // falls through to double: JSON numbers have no size limit, Java longs do
                }
            }
            double d = Double.parseDouble(literal);
            if (Double.isInfinite(d)) {
                pos = start;
                throw error("number " + Untrusted.printable(literal, 40) + " is out of the range of a double");
            }
            return d;
        }

        private void digits() {
            while (isDigit(peek())) {
                pos++;
            }
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private Object literal(String word, Object value) throws SyntaxException {
            if (!text.startsWith(word, pos)) {
                throw error("unexpected " + describe(pos) + ", expected a value");
            }
            pos += word.length();
            return value;
        }

        private void expect(char c) throws SyntaxException {
            if (peek() != c) {
                throw error("unexpected " + describe(pos) + ", expected '" + c + "'");
            }
            pos++;
        }

        /** The char at the position, or U+0000 at the end (never valid where peek is used). */
        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private void skipWhitespace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        private String describe(int at) {
            if (at >= text.length()) {
                return "end of input";
            }
            return "character " + Untrusted.character(text.charAt(at));
        }




        private SyntaxException error(String what) {
            int line = 1;
            int column = 1;
            for (int i = 0; i < pos && i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
            return new SyntaxException(
                    source + ": invalid JSON at line " + line + ", column " + column + ": " + what);
        }
    }
}

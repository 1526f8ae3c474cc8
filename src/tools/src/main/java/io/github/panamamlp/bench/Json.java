package io.github.panamamlp.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON for the benchmark's own data (the C program's output lines and the report file): parsing is
 * {@link io.github.panamamlp.internal.Json}'s strict parser; here are typed field accessors whose messages
 * name the field, and an indented writer for a report people read.
 */
final class Json {
    private Json() {
    }

    /**
     * Parses one complete JSON value.
     *
     * @throws IllegalArgumentException if the text is not exactly one JSON value; the message says where
     */
    static Object parse(String text) {
        try {
            return doubles(io.github.panamamlp.internal.Json.parse(text, "benchmark JSON"));
        } catch (io.github.panamamlp.internal.Json.SyntaxException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The same tree with every number as a Double, as the benchmark's records expect. */
    private static Object doubles(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, doubles(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(doubles(x)));
            return out;
        }
        return v;
    }

    /** Parses a JSON object. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("expected a JSON object, got " + describe(v));
        }
        return (Map<String, Object>) v;
    }

    private static String describe(Object v) {
        return v == null ? "null" : v instanceof Map ? "an object" : v instanceof List ? "an array"
                : v instanceof String ? "a string" : v instanceof Number ? "a number" : "a boolean";
    }

    // ---- typed field access, with messages that name the field ----

    /** A required number field. */
    static double number(Map<String, Object> obj, String key) {
        Object v = obj.get(key);
        if (!(v instanceof Number d)) {
            throw new IllegalArgumentException("field \"" + key + "\" must be a number, got " + (obj.containsKey(key) ? describe(v) : "nothing"));
        }
        return d.doubleValue();
    }

    /** A required integer field within [min, max]. */
    static long integer(Map<String, Object> obj, String key, long min, long max) {
        double d = number(obj, key);
        if (d != Math.rint(d) || d < min || d > max) {
            throw new IllegalArgumentException("field \"" + key + "\" must be an integer in [" + min + ", " + max + "], got " + d);
        }
        return (long) d;
    }

    /** A required boolean field. */
    static boolean bool(Map<String, Object> obj, String key) {
        Object v = obj.get(key);
        if (!(v instanceof Boolean b)) {
            throw new IllegalArgumentException("field \"" + key + "\" must be true or false, got " + (obj.containsKey(key) ? describe(v) : "nothing"));
        }
        return b;
    }

    /** A required string field. */
    static String string(Map<String, Object> obj, String key) {
        Object v = obj.get(key);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("field \"" + key + "\" must be a string, got " + (obj.containsKey(key) ? describe(v) : "nothing"));
        }
        return s;
    }

    /** A required array of numbers. */
    static List<Double> numbers(Map<String, Object> obj, String key) {
        Object v = obj.get(key);
        if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException("field \"" + key + "\" must be an array, got " + (obj.containsKey(key) ? describe(v) : "nothing"));
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

    // ---- writing ----

    /** Writes a value (Map, List, String, Number, Boolean or null) as indented JSON. */
    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.append('\n').toString();
    }

    private static void write(StringBuilder sb, Object v, int indent) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            quote(sb, s);
        } else if (v instanceof Boolean b) {
            sb.append(b);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            // JSON has no NaN or infinity; null says "no value" without breaking readers.
            sb.append(Double.isFinite(d) ? formatDouble(d) : "null");
        } else if (v instanceof Number n) {
            sb.append(n.longValue());
        } else if (v instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                pad(sb, indent + 1);
                quote(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue(), indent + 1);
                sb.append(++i < map.size() ? ",\n" : "\n");
            }
            pad(sb, indent);
            sb.append('}');
        } else if (v instanceof List<?> list) {
            // Lists of plain values stay on one line: sample arrays would otherwise take a screen each.
            boolean flat = list.stream().noneMatch(o -> o instanceof Map || o instanceof List);
            if (list.isEmpty() || flat) {
                sb.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    write(sb, list.get(i), indent + 1);
                }
                sb.append(']');
                return;
            }
            sb.append("[\n");
            for (int i = 0; i < list.size(); i++) {
                pad(sb, indent + 1);
                write(sb, list.get(i), indent + 1);
                sb.append(i + 1 < list.size() ? ",\n" : "\n");
            }
            pad(sb, indent);
            sb.append(']');
        } else {
            throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
        }
    }

    /** Shortest text that reads back as the same double. */
    private static String formatDouble(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d); // e.g. 1.5E-7: valid JSON
    }

    private static void pad(StringBuilder sb, int indent) {
        sb.append("  ".repeat(indent));
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        sb.append('"');
    }
}

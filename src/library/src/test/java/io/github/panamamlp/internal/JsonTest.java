package io.github.panamamlp.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {
    private static Object parse(String text) throws Json.SyntaxException {
        return Json.parse(text, "test.json");
    }

    private static Json.SyntaxException parseError(String text) {
        return assertThrows(Json.SyntaxException.class, () -> parse(text), () -> "accepted " + text);
    }

    @Test
    void parsesEveryKindOfValue() throws Exception {
        Object v = parse(" {\"layers\": [ {\"units\": 50, \"activation\": \"sigmoid\"}, {\"units\": 10} ],"
                + " \"lr\": 0.1, \"neg\": -2.5e-3, \"ok\": true, \"no\": false, \"none\": null, \"empty\": {},"
                + " \"list\": [] }\n");
        Map<?, ?> m = assertInstanceOf(Map.class, v);
        assertEquals(List.of("layers", "lr", "neg", "ok", "no", "none", "empty", "list"), new ArrayList<>(m.keySet()),
                "key order is kept");
        List<?> layers = assertInstanceOf(List.class, m.get("layers"));
        assertEquals(Map.of("units", 50L, "activation", "sigmoid"), layers.get(0));
        assertEquals(Map.of("units", 10L), layers.get(1));
        assertEquals(0.1, m.get("lr"));
        assertEquals(-2.5e-3, m.get("neg"));
        assertEquals(Boolean.TRUE, m.get("ok"));
        assertEquals(Boolean.FALSE, m.get("no"));
        assertTrue(m.containsKey("none"));
        assertNull(m.get("none"));
        assertEquals(Map.of(), m.get("empty"));
        assertEquals(List.of(), m.get("list"));
    }

    @Test
    void scalarsAtTopLevel() throws Exception {
        assertEquals(42L, parse("42"));
        assertEquals("x", parse("\"x\""));
        assertNull(parse(" null "));
        assertEquals(true, parse("true"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0|0", "-0|0", "7|7", "-123|-123",
            "9223372036854775807|9223372036854775807", "-9223372036854775808|-9223372036854775808"})
    void integersParseToLong(String text, long expected) throws Exception {
        assertEquals(expected, parse(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0.5|0.5", "-0.0|-0.0", "1e3|1000.0", "1E+3|1000.0", "2.5e-3|0.0025", "1.0|1.0",
            "4.9e-324|4.9e-324", "1e-400|0.0", "1.7976931348623157e308|1.7976931348623157e308",
            "9223372036854775808|9.223372036854775808e18"})
    void otherNumbersParseToDouble(String text, double expected) throws Exception {
        Object v = parse(text);
        assertInstanceOf(Double.class, v);
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits((Double) v), text);
    }

    @Test
    void stringEscapes() throws Exception {
        assertEquals("a\"b\\c/d\b\f\n\r\t\u00e9\u20ac", parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\u20AC\""));
        assertEquals("😀", parse("\"\\ud83d\\ude00\""), "an escaped surrogate pair");
        assertEquals("😀 é", parse("\"😀 é\""), "raw non-ASCII");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "   ", "{", "[", "[1,]", "[1 2]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "{'a':1}", "{\"a\":}",
            "01", "-01", "+1", ".5", "1.", "1.e3", "1e", "1e+", "-", "NaN", "Infinity", "-Infinity", "0x10",
            "1e999", "-1e400", "tru", "True", "nul", "\"abc", "\"a\\x\"", "\"\\u12\"", "\"\\u12g4\"",
            "\"\\u\u0661\u0662\u0663\u0664\"", "\"a\nb\"", "\"tab\there\"", "\"\\ud800\"", "\"\\udc00x\"", "\"\\ud83d\\u0041\"",
            "{} {}", "[] x", "1 2", "{\"a\":1,\"a\":2}", "\ufeff{}", "[1]\u0000", "\u00a0[]"})
    void rejectsInvalidJson(String text) {
        Json.SyntaxException e = parseError(text);
        assertTrue(e.getMessage().startsWith("test.json: invalid JSON at line "), e.getMessage());
    }

    @Test
    void errorsGiveLineAndColumn() {
        Json.SyntaxException e = parseError("{\n  \"a\": 1,\n  \"b\": tru\n}");
        assertEquals("test.json: invalid JSON at line 3, column 8: unexpected character 't', expected a value",
                e.getMessage());
        assertTrue(parseError("[1, 2] 3").getMessage().contains("line 1, column 8: unexpected character '3' after"));
        assertTrue(parseError("{\"k\": 1, \"k\": 2}").getMessage().contains("duplicate key 'k'"));
    }

    @Test
    void nestingUpToTheLimitIsAcceptedAndBeyondRejected() throws Exception {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        Object v = parse(ok);
        for (int i = 1; i < Json.MAX_DEPTH; i++) {
            v = ((List<?>) v).get(0);
        }
        assertEquals(List.of(), v);
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        assertTrue(parseError(deep).getMessage().contains("nesting deeper than 64"));
        String deepObjects = "{\"a\":".repeat(Json.MAX_DEPTH + 1) + "1" + "}".repeat(Json.MAX_DEPTH + 1);
        assertTrue(parseError(deepObjects).getMessage().contains("nesting deeper than 64"));
        // A hostile document far deeper than the limit is rejected without a StackOverflowError.
        assertTrue(parseError("[".repeat(1_000_000)).getMessage().contains("nesting deeper than 64"));
    }

    @Test
    void rejectsTextBeyondTheSizeLimit() {
        String huge = "\"" + "x".repeat(Json.MAX_TEXT_CHARS) + "\"";
        Json.SyntaxException e = parseError(huge);
        assertTrue(e.getMessage().contains("exceeds the limit of " + Json.MAX_TEXT_CHARS), e.getMessage());
    }

    @Test
    void parsedContainersAreUnmodifiable() throws Exception {
        Map<?, ?> m = (Map<?, ?>) parse("{\"a\": [1]}");
        assertThrows(UnsupportedOperationException.class, () -> m.clear());
        assertThrows(UnsupportedOperationException.class, () -> ((List<?>) m.get("a")).clear());
    }

    @Test
    void writesCompactJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "mlp");
        m.put("sizes", new int[]{784, 50, 10});
        m.put("lr", 0.1);
        m.put("big", 1e20);
        m.put("tiny", Double.MIN_VALUE);
        m.put("neg0", -0.0);
        m.put("count", 3L);
        m.put("small", (short) 2);
        m.put("on", true);
        m.put("nothing", null);
        m.put("nested", List.of(Map.of(), List.of()));
        m.put("exact", new BigDecimal("0.10"));
        m.put("huge", new BigInteger("123456789012345678901234567890"));
        assertEquals("{\"name\":\"mlp\",\"sizes\":[784,50,10],\"lr\":0.1,\"big\":1.0E20,\"tiny\":4.9E-324,"
                + "\"neg0\":-0.0,\"count\":3,\"small\":2,\"on\":true,\"nothing\":null,\"nested\":[{},[]],"
                + "\"exact\":0.10,\"huge\":123456789012345678901234567890}", Json.write(m));
    }

    @Test
    void writerEscapesStrings() {
        assertEquals("\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\u007f é😀\"",
                Json.write("q\"b\\s/\b\f\n\r\t\u0001\u001f\u007f é😀"));
    }

    @Test
    void writeThenParseGivesTheSameValue() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "line\nbreak \"quoted\" \\ 😀 \u0000 end");
        m.put("d", List.of(0.1, -0.0, 1e-310, 1.7976931348623157e308, 12345.678));
        m.put("l", List.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L));
        m.put("b", List.of(true, false));
        m.put("n", Arrays.asList(null, null));
        m.put("o", Map.of("k", Map.of("k", List.of())));
        Object back = parse(Json.write(m));
        assertEquals(m, back);
        assertEquals(Double.doubleToRawLongBits(-0.0),
                Double.doubleToRawLongBits((Double) ((List<?>) ((Map<?, ?>) back).get("d")).get(1)));
    }

    @Test
    void writerRejectsWhatTheParserWouldReject() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(Double.POSITIVE_INFINITY)));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Float.NEGATIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new double[]{1, Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> Json.write("bad \ud800 surrogate"));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, "non-string key")));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        Object deep = List.of();
        for (int i = 1; i < Json.MAX_DEPTH; i++) {
            deep = List.of(deep);
        }
        assertEquals("[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH), Json.write(deep), "64 levels are fine");
        Object tooDeep = List.of(deep);
        assertThrows(IllegalArgumentException.class, () -> Json.write(tooDeep));
        Map<String, Object> cyclic = new HashMap<>();
        cyclic.put("self", cyclic);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.write(cyclic));
        assertTrue(e.getMessage().contains("nesting deeper than"), e.getMessage());
    }
}

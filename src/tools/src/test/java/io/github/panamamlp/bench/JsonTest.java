package io.github.panamamlp.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {

    @Test
    void parsesEveryKindOfValue() {
        Map<String, Object> o = Json.parseObject(
                " {\"a\": 1, \"b\": -2.5e-3, \"c\": [true, false, null], \"d\": {\"e\": \"x\\\"y\\\\z\\n\\u00e9\"}, \"f\": [], \"g\": {}} ");
        assertEquals(1.0, o.get("a"));
        assertEquals(-2.5e-3, o.get("b"));
        assertEquals(java.util.Arrays.asList(true, false, null), o.get("c"));
        assertEquals("x\"y\\z\né", ((Map<?, ?>) o.get("d")).get("e"));
        assertEquals(List.of(), o.get("f"));
        assertEquals(Map.of(), o.get("g"));
        assertEquals(List.of("a", "b", "c", "d", "f", "g"), new ArrayList<>(o.keySet()), "key order is kept");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\":}", "{\"a\":1,}", "[1 2]", "{\"a\":1} x", "{a:1}", "01", "1.", "1e", "-",
            "\"abc", "\"\\q\"", "\"\\u12\"", "tru", "{\"a\":1,\"a\":2}", "\"tab\there\""})
    void rejectsMalformedText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text));
        assertTrue(e.getMessage().startsWith("benchmark JSON"), e.getMessage());
    }

    @Test
    void rejectsDeepNestingInsteadOfOverflowingTheStack() {
        String deep = "[".repeat(100_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nesting deeper"), e.getMessage());
    }

    @Test
    void typedAccessorsNameTheField() {
        Map<String, Object> o = Json.parseObject("{\"n\": 2.5, \"s\": \"x\", \"list\": [1, \"2\"]}");
        assertEquals(2.5, Json.number(o, "n"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.integer(o, "n", 0, 10));
        assertTrue(e.getMessage().contains("\"n\""), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Json.number(o, "missing"));
        assertTrue(e.getMessage().contains("\"missing\"") && e.getMessage().contains("nothing"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Json.bool(o, "s"));
        assertTrue(e.getMessage().contains("a string"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Json.numbers(o, "list"));
        assertTrue(e.getMessage().contains("only numbers"), e.getMessage());
    }

    @Test
    void writtenJsonReadsBackToTheSameValues() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("samples", List.of(1.5e-7, 2.0, 3.25));
        inner.put("text", "quote \" backslash \\ newline \n control \u0001 é");
        inner.put("none", null);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("int", 42);
        root.put("long", 2147483648000L);
        root.put("nan", Double.NaN);
        root.put("flag", true);
        root.put("rows", List.of(inner, inner));
        Map<String, Object> back = Json.parseObject(Json.write(root));
        assertEquals(42.0, back.get("int"));
        assertEquals(2147483648000.0, back.get("long"));
        assertNull(back.get("nan"), "NaN has no JSON form and is written as null");
        assertTrue(back.containsKey("nan"));
        assertEquals(true, back.get("flag"));
        Map<?, ?> r = (Map<?, ?>) ((List<?>) back.get("rows")).get(1);
        assertEquals(List.of(1.5e-7, 2.0, 3.25), r.get("samples"));
        assertEquals(inner.get("text"), r.get("text"));
        assertTrue(r.containsKey("none"));
    }
}

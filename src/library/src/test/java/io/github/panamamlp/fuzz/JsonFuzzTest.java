package io.github.panamamlp.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.panamamlp.fuzz.FuzzFiles.Outcome;
import io.github.panamamlp.internal.Json;


import java.nio.charset.StandardCharsets;
import java.util.Objects;

import static io.github.panamamlp.fuzz.FuzzFiles.assertPrintableLine;
import static io.github.panamamlp.fuzz.FuzzFiles.withinAllocationBudget;

/**
 * Fuzzes {@link Json#parse} on text (the fuzz input decoded as UTF-8, as a model file's JSON entry is).
 * Contract: the text is either parsed or rejected with a {@link Json.SyntaxException} whose message
 * starts with the source name and is one printable line; anything else, a {@link StackOverflowError}
 * from deep nesting included, fails the test. What it parses must survive {@link Json#write} and parse
 * back to an equal value (the writer promises that whatever it writes, the parser reads back).
 */
class JsonFuzzTest {
    private static final String SOURCE = "fuzz.json";

    @FuzzTest
    void parse(byte[] utf8) throws Exception {
        parseText(utf8);
    }

    /** {@code utf8} decoded and parsed, checking the contract. */
    static Outcome parseText(byte[] utf8) throws Exception {
        String text = new String(utf8, StandardCharsets.UTF_8);
        return withinAllocationBudget(utf8.length, () -> {
            Object value;
            try {
                value = Json.parse(text, SOURCE);
            } catch (Json.SyntaxException e) {
                if (!e.getMessage().startsWith(SOURCE + ": ")) {
                    throw new AssertionError("the message does not start with the source: " + e.getMessage(), e);
                }
                assertPrintableLine(e.getMessage(), e);
                return Outcome.REJECTED;
            }
            String written = Json.write(value);
            Object again = Json.parse(written, SOURCE);
            if (!Objects.equals(value, again)) {
                throw new AssertionError("parse → write → parse changed the value: " + value + " became " + again);
            }
            return Outcome.ACCEPTED;
        });
    }
}

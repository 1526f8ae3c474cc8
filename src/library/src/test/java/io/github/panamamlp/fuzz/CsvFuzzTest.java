package io.github.panamamlp.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.panamamlp.data.ArrayDataset;
import io.github.panamamlp.data.DatasetException;
import io.github.panamamlp.fuzz.FuzzFiles.Outcome;

import java.nio.file.Path;
import java.util.List;

import static io.github.panamamlp.fuzz.FuzzFiles.assertClearMessage;
import static io.github.panamamlp.fuzz.FuzzFiles.withFile;

/**
 * Fuzzes {@link ArrayDataset#readCsv(Path, int)} (the first column as labels) with hostile files. Contract:
 * every input is either read into a consistent dataset or rejected with a {@link DatasetException} whose
 * message starts with the file's path and is one printable line; anything else (another exception, an
 * {@link OutOfMemoryError}, an allocation beyond {@link FuzzFiles}' budget) fails the test.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs over the committed inputs in
 * {@code src/test/resources/io/github/panamamlp/fuzz/CsvFuzzTestInputs/read/}; {@code make fuzz} fuzzes it.
 */
class CsvFuzzTest {

    @FuzzTest
    void read(byte[] content) throws Exception {
        readCsv(content);
    }

    /** {@code content} as a CSV file through {@link ArrayDataset#readCsv(Path, int)}, checking the contract. */
    static Outcome readCsv(byte[] content) throws Exception {
        return withFile("data.csv", content, CsvFuzzTest::check);
    }

    private static Outcome check(Path file) {
        ArrayDataset d;
        try {
            d = ArrayDataset.readCsv(file, 0);
        } catch (DatasetException e) {
            assertClearMessage(e, file);
            return Outcome.REJECTED;
        }
        // Accepted: a consistent dataset of finite values, labels inside the classes, names to match.
        check(d.count() >= 1 && d.features() >= 1 && d.classes() >= 1, "bad shape " + d);
        check(d.featureNames().size() == d.features(), "feature names " + d.featureNames() + " for " + d);
        List<String> names = d.classNames();
        check(names.size() == d.classes(), names.size() + " class names for " + d);
        int max = -1;
        for (int i = 0; i < d.count(); i++) {
            int y = d.label(i);
            check(y >= 0 && y < d.classes(), "label " + y + " of row " + i + " outside the " + d.classes() + " classes");
            max = Math.max(max, y);
            for (double v : d.row(i)) {
                check(Double.isFinite(v), "non-finite value " + v + " in row " + i);
            }
        }
        if (d.hasClassNames()) {
            for (int k = 1; k < names.size(); k++) {
                check(names.get(k - 1).compareTo(names.get(k)) < 0, "class names not sorted and distinct: " + names);
            }
            check(max == d.classes() - 1, "a class without examples among text labels: " + names);
        } else {
            check(max == d.classes() - 1, "numbered classes are the largest label + 1, got " + d.classes() + " for " + max);
        }
        return Outcome.ACCEPTED;
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }
}

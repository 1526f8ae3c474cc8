package io.github.panamamlp.cli;

import io.github.panamamlp.nn.Model;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.github.panamamlp.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line on a CSV file with text labels, as a user's own data: train, evaluate and predict take
 * the same file. The file has what real ones have: an id column and a quoted free-text column to drop, the
 * label column in the middle, features of very different scales, CRLF line ends.
 */
class CsvCliTest {
    private static final List<String> SPECIES = List.of("setosa", "versicolor", "virginica");
    private static final int ROWS = 300;

    @TempDir
    static Path dir;
    static Path csv;
    static Path model;
    static String[] truth = new String[ROWS];

    @BeforeAll
    static void trainOnTheCsvFile() throws Exception {
        csv = dir.resolve("flowers.csv");
        Random rnd = new Random(42);
        StringBuilder sb = new StringBuilder("id,sepal,petal,species,width,note\r\n");
        for (int i = 0; i < ROWS; i++) {
            int c = i % 3;
            truth[i] = SPECIES.get(c);
            // Three blobs; "sepal" is in the thousands, "width" in thousandths: standardization matters.
            double sepal = 1000 * (5 + c + 0.3 * rnd.nextGaussian());
            double petal = 2 + 2 * c + 0.3 * rnd.nextGaussian();
            double width = 0.001 * (1 + c + 0.3 * rnd.nextGaussian());
            sb.append(String.format(Locale.ROOT, "r%04d,%.3f,%.4f,%s,%.7f,\"seen at %d, \"\"clear\"\" day\"\r\n",
                    i, sepal, petal, truth[i], width, i));
        }
        Files.writeString(csv, sb.toString(), StandardCharsets.UTF_8);
        Path out = dir.resolve("run");
        CliTest.Run r = run("train", "--data", csv.toString(), "--label", "species", "--drop", "id,note",
                "--hidden", "16", "--activation", "relu", "--lr", "0.01", "--epochs", "30", "--out", out.toString(), "--no-progress");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("240 training and 60 test rows (test fraction 0.2, stratified, seed 1) of 3 features (standardized)"),
                r.out());
        assertTrue(r.out().contains("label column species: 3 classes (setosa, versicolor, virginica)"), r.out());
        Matcher acc = Pattern.compile("Final test accuracy (\\d\\.\\d+)").matcher(r.out());
        assertTrue(acc.find(), r.out());
        assertTrue(Double.parseDouble(acc.group(1)) >= 0.9, "well-separated blobs: " + acc.group(1));
        model = out.resolve("model.npz");
    }

    @Test
    void theModelFileKeepsTheClassNamesTheFeaturesAndTheStandardization() throws Exception {
        try (Model m = Model.load(model)) {
            assertEquals(SPECIES, m.classNames());
            assertEquals(List.of("sepal", "petal", "width"), m.featureNames());
            assertTrue(m.standardization().isPresent());
            assertTrue(m.standardization().get().mean()[0] > 4000, "the mean of the raw sepal values");
        }
    }

    @Test
    void evaluateTakesTheSameFileAndNamesTheClasses() {
        CliTest.Run r = run("evaluate", "--model", model.toString(), "--data", csv.toString(), "--label", "species");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains(": 300 rows"), r.out());
        Matcher acc = Pattern.compile("test accuracy (\\d\\.\\d+)").matcher(r.out());
        assertTrue(acc.find(), r.out());
        assertTrue(Double.parseDouble(acc.group(1)) >= 0.9, r.out());
        List<String> lines = r.out().lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("true\\pred")).findFirst().orElseThrow());
        assertTrue(lines.get(header).matches("true\\\\pred\\s+setosa\\s+versicolor\\s+virginica"), lines.get(header));
        long total = 0;
        for (int k = 0; k < 3; k++) {
            String row = lines.get(header + 1 + k).strip();
            assertTrue(row.startsWith(SPECIES.get(k)), row);
            for (String count : row.substring(SPECIES.get(k).length()).strip().split("\\s+")) {
                total += Long.parseLong(count);
            }
        }
        assertEquals(300, total, "every row is in the confusion matrix");
    }

    @Test
    void predictPrintsOneClassNamePerRowOfTheSameFile() throws Exception {
        CliTest.Run r = run("predict", "--model", model.toString(), "--data", csv.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        List<String> predicted = r.out().lines().toList();
        assertEquals(ROWS, predicted.size(), "one line per row");
        int right = 0;
        for (int i = 0; i < ROWS; i++) {
            assertTrue(SPECIES.contains(predicted.get(i)), predicted.get(i));
            right += predicted.get(i).equals(truth[i]) ? 1 : 0;
        }
        assertTrue(right >= 270, right + " of 300 right");
        // New rows without the label, id or note, columns in another order: taken by name, same answers.
        List<String> original = Files.readAllLines(csv);
        List<String> bare = new ArrayList<>(List.of("width,sepal,petal"));
        for (String line : original.subList(1, original.size())) {
            String[] f = line.split(",");
            bare.add(f[4] + "," + f[1] + "," + f[2]);
        }
        Path unlabelled = dir.resolve("new.csv");
        Files.write(unlabelled, bare);
        CliTest.Run again = run("predict", "--model", model.toString(), "--data", unlabelled.toString());
        assertEquals(0, again.code(), again.err());
        assertEquals(r.out(), again.out());
    }

    @Test
    void badCsvUseIsOneClearLine() throws Exception {
        // Without --drop, the id column is text: refused, naming it and its first row.
        CliTest.Run text = run("train", "--data", csv.toString(), "--label", "species", "--epochs", "1",
                "--out", dir.resolve("text").toString());
        assertEquals(1, text.code(), text.out() + text.err());
        assertTrue(text.err().contains("column 'id' (index 0) is not numeric") && text.err().contains("'r0000'"), text.err());
        CliTest.Run drop = run("train", "--data", csv.toString(), "--drop", "nothing", "--out", dir.resolve("drop").toString());
        assertEquals(1, drop.code());
        assertTrue(drop.err().contains("--drop nothing: no such column"), drop.err());
        // CSV options with IDX data, and a fraction out of range, are usage errors.
        CliTest.Run idx = run("train", "--data", CliTest.DATA.toString(), "--label", "x");
        assertEquals(2, idx.code());
        assertTrue(idx.err().contains("are for a CSV file"), idx.err());
        CliTest.Run fraction = run("train", "--data", csv.toString(), "--test-fraction", "1.5");
        assertEquals(2, fraction.code());
        assertTrue(fraction.err().contains("--test-fraction must be strictly between 0 and 1"), fraction.err());
        // A missing value names its row, line and column.
        Path na = dir.resolve("na.csv");
        Files.writeString(na, "a,b,y\n1,2,x\n3,NA,y\n");
        CliTest.Run missing = run("train", "--data", na.toString(), "--out", dir.resolve("na").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("row 1 (line 3), column 'b' (index 1): missing value ('NA')"), missing.err());
        assertFalse(missing.err().contains("\tat "), "no stack trace without --verbose");
    }

    /** The defaults: the label is the last column, integer labels are class numbers. */
    @Test
    void theLastColumnIsTheLabelByDefault() throws Exception {
        Path numbered = dir.resolve("numbered.csv");
        StringBuilder sb = new StringBuilder("x1,x2,class\n");
        Random rnd = new Random(3);
        for (int i = 0; i < 120; i++) {
            int c = i % 2;
            sb.append(String.format(Locale.ROOT, "%.4f,%.4f,%d%n", 3 * c + rnd.nextGaussian() * 0.3, -c + rnd.nextGaussian() * 0.3, c));
        }
        Files.writeString(numbered, sb.toString());
        Path out = dir.resolve("numbered-run");
        CliTest.Run r = run("train", "--data", numbered.toString(), "--hidden", "8", "--lr", "0.01", "--epochs", "20",
                "--test-fraction", "0.25", "--out", out.toString(), "--no-progress");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("90 training and 30 test rows (test fraction 0.25"), r.out());
        assertTrue(r.out().contains("label column class: 2 classes (0, 1)"), r.out());
        CliTest.Run e = run("evaluate", "--model", out.resolve("model.npz").toString(), "--data", numbered.toString());
        assertEquals(0, e.code(), e.out() + e.err());
        assertTrue(e.out().contains(": 120 rows"), e.out());
        CliTest.Run p = run("predict", "--model", out.resolve("model.npz").toString(), "--data", numbered.toString());
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().lines().allMatch(l -> l.equals("0") || l.equals("1")) && p.out().lines().count() == 120, p.out());
    }
}

package io.github.panamamlp.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.github.panamamlp.data.IdxFiles.assertFails;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ArrayDataset#readCsv}: RFC 4180 records, labels as numbers or text, and every refusal naming where. */
class CsvDatasetTest {
    @TempDir
    Path dir;

    private Path csv(String text) throws IOException {
        Path f = dir.resolve("data" + text.hashCode() + ".csv");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void textLabelsBecomeClassesInSortedOrder() throws IOException {
        Path f = csv("sepal,petal,species\n5.1,1.4,setosa\n7.0,4.7,versicolor\n6.3,6.0,virginica\n4.9,1.4,setosa\n");
        ArrayDataset d = ArrayDataset.readCsv(f, "species");
        assertEquals(4, d.count());
        assertEquals(2, d.features());
        assertEquals(List.of("sepal", "petal"), d.featureNames());
        assertEquals(List.of("setosa", "versicolor", "virginica"), d.classNames());
        assertTrue(d.hasClassNames());
        assertArrayEquals(new int[]{0, 1, 2, 0}, d.labels());
        assertArrayEquals(new double[]{7.0, 4.7}, d.row(1));
        // The same by index, and by a column list in another order.
        assertArrayEquals(d.labels(), ArrayDataset.readCsv(f, 2).labels());
        ArrayDataset swapped = ArrayDataset.readCsv(f, "species", List.of("petal", "sepal"));
        assertArrayEquals(new double[]{4.7, 7.0}, swapped.row(1));
        assertEquals(List.of("petal", "sepal"), swapped.featureNames());
        // Text sorts as text, even where some labels look like numbers.
        ArrayDataset mixed = ArrayDataset.readCsv(csv("x,y\n1,b\n2,10\n3,9\n4,b\n"), "y");
        assertEquals(List.of("10", "9", "b"), mixed.classNames());
        assertArrayEquals(new int[]{2, 0, 1, 2}, mixed.labels());
    }

    @Test
    void integerLabelsAreClassNumbers() throws IOException {
        ArrayDataset d = ArrayDataset.readCsv(csv("label,a,b\n3,1,2\n0,3,4\n1,5,6\n"), 0);
        assertArrayEquals(new int[]{3, 0, 1}, d.labels());
        assertEquals(4, d.classes(), "the largest label + 1");
        assertFalse(d.hasClassNames());
        assertEquals(List.of("0", "1", "2", "3"), d.classNames());
        assertEquals(List.of("a", "b"), d.featureNames());
        // Negative numbers are not class numbers: such labels are text.
        assertEquals(List.of("-1", "1"), ArrayDataset.readCsv(csv("a,y\n0,-1\n1,1\n"), "y").classNames());
    }

    @Test
    void quotedFieldsCrlfEndingsByteOrderMarkAndSpacesAreReadAsRfc4180Says() throws IOException {
        String text = "\uFEFF\"first, feature\",\"say \"\"hi\"\"\",label\r\n"
                + "1.5, -2e-1 ,\"a, b\"\r\n"
                + "\r\n"
                + "\"3\",4,\"two\r\nlines\"\r\n"
                + "5,6,\"say \"\"x\"\"\"";  // no line break at the end
        ArrayDataset d = ArrayDataset.readCsv(csv(text), "label");
        assertEquals(List.of("first, feature", "say \"hi\""), d.featureNames());
        assertEquals(3, d.count(), "the blank line is skipped");
        assertArrayEquals(new double[]{1.5, -0.2}, d.row(0));
        assertArrayEquals(new double[]{3, 4}, d.row(1));
        assertArrayEquals(new double[]{5, 6}, d.row(2));
        assertEquals(List.of("a, b", "say \"x\"", "two\r\nlines"), d.classNames());
        assertArrayEquals(new int[]{0, 2, 1}, d.labels());
        assertEquals(List.of("first, feature", "say \"hi\"", "label"), ArrayDataset.readCsvHeader(csv(text)));
        // LF and lone-CR endings read the same.
        ArrayDataset lf = ArrayDataset.readCsv(csv("a,y\n1,p\n2,q\n"), "y");
        ArrayDataset cr = ArrayDataset.readCsv(csv("a,y\r1,p\r2,q\r"), "y");
        assertArrayEquals(lf.rows(), cr.rows());
        assertArrayEquals(lf.labels(), cr.labels());
    }

    @Test
    void missingValuesAreRefusedNamingRowAndColumn() throws IOException {
        Path empty = csv("a,b,y\n1,2,p\n3,,q\n");
        assertFails(empty, () -> ArrayDataset.readCsv(empty, "y"), "row 1 (line 3)", "column 'b' (index 1)", "missing value", "empty cell");
        for (String na : List.of("NA", "n/a", "NaN", "null", "None", "?")) {
            Path f = csv("a,b,y\n1,2,p\n3,4,q\n" + na + ",5,q\n");
            assertFails(f, () -> ArrayDataset.readCsv(f, "y"), "row 2 (line 4)", "column 'a' (index 0)", "missing value", "'" + na + "'");
        }
        Path noLabel = csv("a,y\n1,p\n2,NA\n");
        assertFails(noLabel, () -> ArrayDataset.readCsv(noLabel, "y"), "row 1 (line 3)", "column 'y' (index 1)", "label is missing");
        Path emptyLabel = csv("a,y\n1,\n");
        assertFails(emptyLabel, () -> ArrayDataset.readCsv(emptyLabel, 1), "row 0 (line 2)", "label is missing");
    }

    @Test
    void textInAFeatureColumnIsRefusedNamingTheColumnAndItsFirstBadRow() throws IOException {
        Path f = csv("size,colour,y\n1,2,p\n3,4,q\n5,red,p\n6,blue,q\n");
        assertFails(f, () -> ArrayDataset.readCsv(f, "y"), "column 'colour' (index 1) is not numeric", "'red'", "row 2 (line 4)");
        // Leaving the column out reads the rest.
        assertEquals(4, ArrayDataset.readCsv(f, "y", List.of("size")).count());
        for (String notDecimal : List.of("0x10", "1d", "1f", "1,5", "1.2.3", "e5", "--1", "1e", "")) {
            assertFalse(ArrayDataset.isDecimal(notDecimal), notDecimal);
        }
        for (String decimal : List.of("0", "-3", "+.5", "5.", "1e-3", "1E+30", "007")) {
            assertTrue(ArrayDataset.isDecimal(decimal), decimal);
        }
        Path inf = csv("a,y\n1,p\ninf,q\n");
        assertFails(inf, () -> ArrayDataset.readCsv(inf, "y"), "column 'a' (index 0) is not a finite number", "'inf'", "row 1");
        Path overflow = csv("a,y\n1e400,p\n");
        assertFails(overflow, () -> ArrayDataset.readCsv(overflow, "y"), "'1e400' overflows", "row 0");
    }

    @Test
    void malformedFilesAreRefusedNamingTheLine() throws IOException {
        Path fields = csv("a,b,y\n1,2,p\n3,4\n");
        assertFails(fields, () -> ArrayDataset.readCsv(fields, "y"), "row 1 (line 3)", "2 fields", "header has 3");
        Path open = csv("a,y\n1,p\n2,\"q\n3,r\n");
        assertFails(open, () -> ArrayDataset.readCsv(open, "y"), "line 3", "never closed");
        Path junk = csv("a,y\n1,\"p\"x\n");
        assertFails(junk, () -> ArrayDataset.readCsv(junk, "y"), "line 2", "'x' after the closing quote");
        Path nothing = csv("");
        assertFails(nothing, () -> ArrayDataset.readCsv(nothing, 0), "empty", "header");
        Path headerOnly = csv("a,y\n");
        assertFails(headerOnly, () -> ArrayDataset.readCsv(headerOnly, "y"), "no data rows");
        Path onlyLabel = csv("y\n1\n");
        assertFails(onlyLabel, () -> ArrayDataset.readCsv(onlyLabel, "y"), "no feature column");
        Path f = csv("a,b,y\n1,2,p\n");
        assertFails(f, () -> ArrayDataset.readCsv(f, "label"), "no label column 'label'", "a, b, y");
        assertFails(f, () -> ArrayDataset.readCsv(f, 3), "no column 3", "0..2");
        assertFails(f, () -> ArrayDataset.readCsv(f, "y", List.of("a", "c")), "no feature column 'c'");
        Path twice = csv("a,y,y\n1,p,q\n");
        assertFails(twice, () -> ArrayDataset.readCsv(twice, "y"), "appears twice");
        Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, "a,y\n1,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertFails(latin1, () -> ArrayDataset.readCsv(latin1, "y"), "line 2", "not valid UTF-8");
        Path missing = dir.resolve("missing.csv");
        assertFails(missing, () -> ArrayDataset.readCsv(missing, "y"), "no such file");
        assertThrows(IllegalArgumentException.class, () -> ArrayDataset.readCsv(f, "y", List.of("a", "y")));
        assertThrows(IllegalArgumentException.class, () -> ArrayDataset.readCsv(f, "y", List.of()));
    }

    @Test
    void featuresAloneAreReadByNameForPrediction() throws IOException {
        Path f = csv("b,y,a\n1,p,2\n3,q,4\n");
        assertArrayEquals(new double[][]{{2, 1}, {4, 3}}, ArrayDataset.readCsvFeatures(f, List.of("a", "b")));
        assertFails(f, () -> ArrayDataset.readCsvFeatures(f, List.of("a", "c")), "no feature column 'c'");
    }
}

package io.github.panamamlp.data;

import io.github.panamamlp.internal.Untrusted;
import io.github.panamamlp.tensor.DType;
import io.github.panamamlp.tensor.Matrix;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Labelled examples held in Java arrays: your own data, from {@code double[][]}, {@code float[][]} or a
 * CSV file, ready for {@code Trainer.fit} and {@code Model.evaluate}.
 * {@snippet :
 * ArrayDataset data = ArrayDataset.of(features, labels);       // double[n][k] and int[n]
 * ArrayDataset.Split split = data.split(0.2, 1);               // 80% train, 20% test, stratified, seed 1
 * trainer.fit(split.train(), split.test(), 20, 32, 1);
 * }
 *
 * <p>The input is checked once, when the dataset is made: every row has the same number of values, every
 * value is finite, every label is a class, and there is at least one example. Each error is an
 * {@link IllegalArgumentException} naming what is wrong and the row index where it is (a CSV file's errors
 * are {@link DatasetException}s naming the file, the row and the column). After that nothing can go wrong
 * per batch, so training does not check again.
 *
 * <p>Classes are {@code 0 … classes()-1}. Each has a name ({@link #classNames()}): a CSV file's text labels
 * (in sorted order), or the class number as text when the labels were integers.
 *
 * <p>Immutable (the arrays are copied in and never handed out); safe to share between threads.
 */
public final class ArrayDataset implements BatchSource {
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    /** The most values one dataset holds: one Java array, indexed by int. */
    private static final int MAX_VALUES = Integer.MAX_VALUE - 8;

    private final int count;
    private final int features;
    private final int classes;
    /** count × features, row-major. */
    private final double[] values;
    private final int[] labels;
    /** The classes' names from text labels, or null when the labels were numbers. */
    private final List<String> classNames;
    private final List<String> featureNames;

    /** Takes the arrays without copying or checking: every caller has done both. */
    private ArrayDataset(int count, int features, int classes, double[] values, int[] labels,
                         List<String> classNames, List<String> featureNames) {
        this.count = count;
        this.features = features;
        this.classes = classes;
        this.values = values;
        this.labels = labels;
        this.classNames = classNames;
        this.featureNames = featureNames;
    }

    /**
     * A training and a test part of one dataset, from {@link #split}. Both keep the dataset's classes and
     * names, so a model trained on one evaluates on the other.
     *
     * @param train the training part
     * @param test  the test part
     */
    public record Split(ArrayDataset train, ArrayDataset test) {
        /**
         * Checks that both parts are there.
         *
         * @throws IllegalArgumentException if a part is null
         */
        public Split {
            if (train == null || test == null) {
                throw new IllegalArgumentException("both parts of a split are needed");
            }
        }
    }

    // ------------------------------------------------------------------------------------------- arrays

    /**
     * Examples from arrays; the number of classes is the largest label + 1.
     *
     * @param features one row of features per example, all of the same length (copied)
     * @param labels   the class of each example, ≥ 0 (copied)
     * @return the dataset
     * @throws IllegalArgumentException if there is no example, the lengths differ, a row is ragged or holds a
     *                                  value that is not finite, or a label is negative — naming the row
     */
    public static ArrayDataset of(double[][] features, int[] labels) {
        return of(features, labels, -1);
    }

    /**
     * Examples from arrays with a given number of classes (some may have no example here).
     *
     * @param features one row of features per example, all of the same length (copied)
     * @param labels   the class of each example, in {@code 0 … classes-1} (copied)
     * @param classes  the number of classes, ≥ 1
     * @return the dataset
     * @throws IllegalArgumentException if there is no example, the lengths differ, a row is ragged or holds a
     *                                  value that is not finite, or a label is out of range — naming the row
     */
    public static ArrayDataset of(double[][] features, int[] labels, int classes) {
        int width = checkShape(features == null ? -1 : features.length, labels, features == null ? null
                : i -> features[i] == null ? -1 : features[i].length);
        double[] values = new double[features.length * width];
        for (int i = 0; i < features.length; i++) {
            double[] row = features[i];
            for (int j = 0; j < width; j++) {
                values[i * width + j] = checkFinite(row[j], i, j);
            }
        }
        return fromArrays(values, features.length, width, labels.clone(), classes);
    }

    /**
     * Examples from {@code float} arrays (widened exactly to {@code double}); the number of classes is the
     * largest label + 1.
     *
     * @param features one row of features per example, all of the same length (copied)
     * @param labels   the class of each example, ≥ 0 (copied)
     * @return the dataset
     * @throws IllegalArgumentException as {@link #of(double[][], int[])}
     */
    public static ArrayDataset of(float[][] features, int[] labels) {
        return of(features, labels, -1);
    }

    /**
     * Examples from {@code float} arrays (widened exactly to {@code double}) with a given number of classes.
     *
     * @param features one row of features per example, all of the same length (copied)
     * @param labels   the class of each example, in {@code 0 … classes-1} (copied)
     * @param classes  the number of classes, ≥ 1
     * @return the dataset
     * @throws IllegalArgumentException as {@link #of(double[][], int[], int)}
     */
    public static ArrayDataset of(float[][] features, int[] labels, int classes) {
        int width = checkShape(features == null ? -1 : features.length, labels, features == null ? null
                : i -> features[i] == null ? -1 : features[i].length);
        double[] values = new double[features.length * width];
        for (int i = 0; i < features.length; i++) {
            float[] row = features[i];
            for (int j = 0; j < width; j++) {
                values[i * width + j] = checkFinite(row[j], i, j);
            }
        }
        return fromArrays(values, features.length, width, labels.clone(), classes);
    }

    /** The width of a row, given its index; -1 for a null row. */
    private interface RowWidth {
        int of(int row);
    }

    /** Checks rows against labels and each other; returns the common width. */
    private static int checkShape(int rows, int[] labels, RowWidth width) {
        if (rows < 0) {
            throw new IllegalArgumentException("features must not be null");
        }
        if (labels == null) {
            throw new IllegalArgumentException("labels must not be null");
        }
        if (rows != labels.length) {
            throw new IllegalArgumentException("features has " + rows + " rows but labels has " + labels.length
                    + " (one label per row)");
        }
        if (rows == 0) {
            throw new IllegalArgumentException("no examples: features and labels are empty");
        }
        int w = width.of(0);
        for (int i = 0; i < rows; i++) {
            int wi = width.of(i);
            if (wi < 0) {
                throw new IllegalArgumentException("row " + i + " of features is null");
            }
            if (wi != w) {
                throw new IllegalArgumentException("ragged rows: row " + i + " has " + wi + " values but row 0 has " + w);
            }
        }
        if (w == 0) {
            throw new IllegalArgumentException("the rows have no values: at least one feature is needed");
        }
        if ((long) rows * w > MAX_VALUES) {
            throw new IllegalArgumentException(rows + " rows of " + w + " values are more than one array holds ("
                    + MAX_VALUES + " values)");
        }
        return w;
    }

    private static double checkFinite(double v, int row, int col) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("row " + row + ", column " + col + " is " + v + ": every value must be finite");
        }
        return v;
    }

    /** Checks the labels against {@code classes} (-1: largest + 1) and makes the dataset. */
    private static ArrayDataset fromArrays(double[] values, int count, int width, int[] labels, int classes) {
        if (classes == 0 || classes < -1) {
            throw new IllegalArgumentException("the number of classes must be at least 1, got " + classes);
        }
        int max = -1;
        for (int i = 0; i < labels.length; i++) {
            int y = labels[i];
            if (y < 0) {
                throw new IllegalArgumentException("label " + y + " at row " + i + " is negative: labels are class numbers from 0");
            }
            if (classes > 0 && y >= classes) {
                throw new IllegalArgumentException("label " + y + " at row " + i + " is outside 0.." + (classes - 1)
                        + " (" + classes + " classes)");
            }
            max = Math.max(max, y);
        }
        if (classes < 0 && max == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("label " + max + " leaves no room for a class count");
        }
        return new ArrayDataset(count, width, classes > 0 ? classes : max + 1, values, labels, null, List.of());
    }

    // ---------------------------------------------------------------------------------------------- CSV

    /**
     * Reads a CSV file whose first row is a header; the column named {@code labelHeader} holds the labels
     * and every other column is a feature. See {@link #readCsv(Path, String, List)} for the rules.
     *
     * @param file        a UTF-8 CSV file
     * @param labelHeader the header of the label column
     * @return the dataset, its features named by the header
     * @throws DatasetException naming the file, and the row and column where something is wrong
     */
    public static ArrayDataset readCsv(Path file, String labelHeader) {
        return readCsv(file, new ColumnChoice(labelHeader, -1, null, true));
    }

    /**
     * Reads a CSV file whose first row is a header; column {@code labelColumn} (counted from 0) holds the
     * labels and every other column is a feature. See {@link #readCsv(Path, String, List)} for the rules.
     *
     * @param file        a UTF-8 CSV file
     * @param labelColumn the index of the label column, from 0
     * @return the dataset, its features named by the header
     * @throws DatasetException naming the file, and the row and column where something is wrong (or if
     *                          there is no column {@code labelColumn})
     */
    public static ArrayDataset readCsv(Path file, int labelColumn) {
        return readCsv(file, new ColumnChoice(null, labelColumn, null, true));
    }

    /**
     * Reads a CSV file whose first row is a header, taking the labels from the column named
     * {@code labelHeader} and the features from the columns named {@code featureColumns}, in that order;
     * other columns are ignored (that is how columns are dropped).
     *
     * <ul>
     *   <li>The file is RFC 4180: comma-separated, quoted fields may hold commas, quotes ({@code ""}) and
     *       line breaks, lines end with CRLF or LF. It must be UTF-8; blank lines are skipped.</li>
     *   <li>Every row has as many fields as the header. Surrounding spaces are ignored.</li>
     *   <li>Features are decimal numbers ({@code 3}, {@code -0.5}, {@code 1e-3}). An empty cell and
     *       {@code NA}, {@code N/A}, {@code NaN}, {@code null}, {@code None} or {@code ?} (in any case) are
     *       missing values and are refused, naming the row and column; so are infinities. Text in a feature
     *       column is refused, naming the column and its first bad row.</li>
     *   <li>Labels are integers ≥ 0 (class numbers; the number of classes is the largest + 1) or, if any
     *       label is something else, text: each distinct text is a class, numbered in sorted order, and
     *       {@link #classNames()} keeps the texts.</li>
     * </ul>
     * Rows are counted from 0 after the header (row {@code r} is the example at index {@code r}); messages
     * also give the file's line, counted from 1.
     *
     * @param file           a UTF-8 CSV file
     * @param labelHeader    the header of the label column
     * @param featureColumns the headers of the feature columns, at least one
     * @return the dataset, its features named {@code featureColumns}
     * @throws DatasetException         naming the file, and the row and column where something is wrong
     * @throws IllegalArgumentException if {@code featureColumns} is empty, repeats a name or holds the label
     */
    public static ArrayDataset readCsv(Path file, String labelHeader, List<String> featureColumns) {
        checkColumnList(featureColumns, labelHeader);
        return readCsv(file, new ColumnChoice(labelHeader, -1, featureColumns, true));
    }

    /**
     * The feature values of a CSV file without labels, e.g. to predict them: the columns named
     * {@code featureColumns}, in that order, of every row (other columns, a label column included, are
     * ignored). The same rules as {@link #readCsv(Path, String, List)}.
     *
     * @param file           a UTF-8 CSV file with a header
     * @param featureColumns the headers of the columns to read, at least one
     * @return one row of values per data row of the file
     * @throws DatasetException         naming the file, and the row and column where something is wrong
     * @throws IllegalArgumentException if {@code featureColumns} is empty or repeats a name
     */
    public static double[][] readCsvFeatures(Path file, List<String> featureColumns) {
        checkColumnList(featureColumns, null);
        Table t = readTable(file, new ColumnChoice(null, -1, featureColumns, false));
        double[][] rows = new double[t.count][];
        for (int i = 0; i < t.count; i++) {
            rows[i] = Arrays.copyOfRange(t.values, i * t.width, (i + 1) * t.width);
        }
        return rows;
    }

    /**
     * The header of a CSV file: its first row, each name stripped of surrounding spaces.
     *
     * @param file a UTF-8 CSV file
     * @return the column names, in order
     * @throws DatasetException if the file cannot be read, is empty or is not valid CSV
     */
    public static List<String> readCsvHeader(Path file) {
        List<List<String>> header = new ArrayList<>();
        try (CsvReader in = CsvReader.open(file)) {
            in.read((fields, line) -> {
                header.add(fields);
                return false;
            });
        }
        if (header.isEmpty()) {
            throw new DatasetException(file, "empty: a CSV file needs a header row");
        }
        return header.getFirst().stream().map(String::strip).toList();
    }

    private static void checkColumnList(List<String> columns, String label) {
        if (columns == null || columns.isEmpty()) {
            throw new IllegalArgumentException("at least one feature column is needed");
        }
        if (columns.stream().distinct().count() != columns.size()) {
            throw new IllegalArgumentException("a feature column is named twice: " + columns);
        }
        if (label != null && columns.contains(label)) {
            throw new IllegalArgumentException("'" + label + "' is the label column and cannot be a feature too");
        }
    }

    /** Which columns to read: the label by name or index (or none), and the features by name (or all others). */
    private record ColumnChoice(String labelName, int labelIndex, List<String> featureNames, boolean withLabel) {
    }

    /** What a CSV file held, the labels still as text. */
    private record Table(int count, int width, double[] values, String[] labelTexts, List<String> featureNames) {
    }

    private static ArrayDataset readCsv(Path file, ColumnChoice choice) {
        Table t = readTable(file, choice);
        boolean numeric = true;
        for (int i = 0; i < t.count && numeric; i++) {
            numeric = isClassNumber(t.labelTexts[i]);
        }
        int[] labels = new int[t.count];
        int classes;
        List<String> names = null;
        if (numeric) {
            int max = 0;
            for (int i = 0; i < t.count; i++) {
                labels[i] = Integer.parseInt(t.labelTexts[i]);
                max = Math.max(max, labels[i]);
            }
            classes = max + 1;
        } else {
            String[] sorted = Arrays.stream(t.labelTexts, 0, t.count).distinct().sorted().toArray(String[]::new);
            Map<String, Integer> index = new HashMap<>();
            for (int k = 0; k < sorted.length; k++) {
                index.put(sorted[k], k);
            }
            for (int i = 0; i < t.count; i++) {
                labels[i] = index.get(t.labelTexts[i]);
            }
            classes = sorted.length;
            names = List.of(sorted);
        }
        return new ArrayDataset(t.count, t.width, classes, t.values, labels, names, t.featureNames);
    }

    /** A label that is a class number: 1 to 9 digits (so it fits an int, and the class count stays sane). */
    private static boolean isClassNumber(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static Table readTable(Path file, ColumnChoice choice) {
        var reader = new TableReader(file, choice);
        try (CsvReader in = CsvReader.open(file)) {
            in.read(reader::record);
        }
        return reader.finish();
    }

    /** Turns CSV records into a table: the header resolves the columns, each row is checked as it comes. */
    private static final class TableReader {
        private final Path file;
        private final ColumnChoice choice;
        private List<String> header;
        private int label = -1;
        private int[] featureIndex;
        private double[] values = new double[1024];
        private String[] labelTexts = new String[64];
        private int rows;

        TableReader(Path file, ColumnChoice choice) {
            this.file = file;
            this.choice = choice;
        }

        boolean record(List<String> fields, long line) {
            if (header == null) {
                resolveColumns(fields.stream().map(String::strip).toList());
                return true;
            }
            if (fields.size() != header.size()) {
                throw new DatasetException(file, where(line) + ": " + fields.size() + " field" + (fields.size() == 1 ? "" : "s")
                        + " but the header has " + header.size());
            }
            int width = featureIndex.length;
            if ((long) (rows + 1) * width > MAX_VALUES) {
                throw new DatasetException(file, "more values than one array holds (" + MAX_VALUES + ")");
            }
            if ((rows + 1) * width > values.length) {
                values = Arrays.copyOf(values, (int) Math.min(MAX_VALUES, Math.max((long) values.length * 2, (long) (rows + 1) * width)));
            }
            for (int j = 0; j < width; j++) {
                int c = featureIndex[j];
                values[rows * width + j] = number(fields.get(c).strip(), line, c);
            }
            if (label >= 0) {
                String y = fields.get(label).strip();
                if (isMissing(y)) {
                    throw new DatasetException(file, where(line) + ", column " + column(label) + ": the label is missing ("
                            + (y.isEmpty() ? "empty" : Untrusted.quote(y)) + ")");
                }
                if (rows == labelTexts.length) {
                    labelTexts = Arrays.copyOf(labelTexts, rows * 2);
                }
                labelTexts[rows] = y;
            }
            rows++;
            return true;
        }

        /** "row R (line L)": the example's index and the file's line. */
        private String where(long line) {
            return "row " + rows + " (line " + line + ")";
        }

        private String column(int c) {
            return Untrusted.quote(header.get(c)) + " (index " + c + ")";
        }

        private double number(String cell, long line, int c) {
            if (isMissing(cell)) {
                throw new DatasetException(file, where(line) + ", column " + column(c) + ": missing value ("
                        + (cell.isEmpty() ? "empty cell" : Untrusted.quote(cell))
                        + "); fill it in or leave the row or column out");
            }
            if (!isDecimal(cell)) {
                String what = isInfinity(cell) ? "is not a finite number: " : "is not numeric: its first bad value is ";
                throw new DatasetException(file, "column " + column(c) + " " + what
                        + Untrusted.quote(cell) + ", at " + where(line)
                        + (isInfinity(cell) ? "" : "; leave the column out or encode it as numbers"));
            }
            double v = Double.parseDouble(cell);
            if (!Double.isFinite(v)) {
                throw new DatasetException(file, "column " + column(c) + " is not a finite number: "
                        + Untrusted.quote(cell) + " overflows, at " + where(line));
            }
            return v;
        }

        private void resolveColumns(List<String> names) {
            header = names;
            if (choice.withLabel()) {
                label = choice.labelName() != null ? find(choice.labelName(), "label") : choice.labelIndex();
                if (label < 0 || label >= names.size()) {
                    throw new DatasetException(file, "there is no column " + choice.labelIndex() + " for the labels: the header has "
                            + names.size() + " column" + (names.size() == 1 ? "" : "s") + " (0.." + (names.size() - 1) + ")");
                }
            }
            if (choice.featureNames() != null) {
                featureIndex = new int[choice.featureNames().size()];
                for (int j = 0; j < featureIndex.length; j++) {
                    featureIndex[j] = find(choice.featureNames().get(j), "feature");
                }
            } else {
                featureIndex = new int[names.size() - (label >= 0 ? 1 : 0)];
                for (int c = 0, j = 0; c < names.size(); c++) {
                    if (c != label) {
                        featureIndex[j++] = c;
                    }
                }
            }
            if (featureIndex.length == 0) {
                throw new DatasetException(file, "no feature column: the header has only the label column " + column(label));
            }
        }

        private int find(String name, String role) {
            int at = -1;
            for (int c = 0; c < header.size(); c++) {
                if (header.get(c).equals(name)) {
                    if (at >= 0) {
                        throw new DatasetException(file, "the " + role + " column " + Untrusted.quote(name)
                                + " appears twice in the header (index " + at + " and " + c + ")");
                    }
                    at = c;
                }
            }
            if (at < 0) {
                throw new DatasetException(file, "no " + role + " column " + Untrusted.quote(name)
                        + " in the header: " + Untrusted.printable(String.join(", ", header)));
            }
            return at;
        }

        Table finish() {
            if (header == null) {
                throw new DatasetException(file, "empty: a CSV file needs a header row");
            }
            if (rows == 0) {
                throw new DatasetException(file, "no data rows after the header");
            }
            List<String> featureNames = Arrays.stream(featureIndex).mapToObj(header::get).toList();
            return new Table(rows, featureIndex.length, Arrays.copyOf(values, rows * featureIndex.length),
                    label >= 0 ? Arrays.copyOf(labelTexts, rows) : null, featureNames);
        }
    }

    private static boolean isMissing(String cell) {
        return switch (cell.toLowerCase(Locale.ROOT)) {
            case "", "na", "n/a", "nan", "null", "none", "?" -> true;
            default -> false;
        };
    }

    private static boolean isInfinity(String cell) {
        String s = cell.toLowerCase(Locale.ROOT);
        if (s.startsWith("+") || s.startsWith("-")) {
            s = s.substring(1);
        }
        return s.equals("inf") || s.equals("infinity");
    }

    /** {@code [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?}: what numpy and spreadsheets write. */
    static boolean isDecimal(String s) {
        int i = 0;
        int n = s.length();
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int intDigits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            intDigits++;
        }
        int fracDigits = 0;
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                fracDigits++;
            }
        }
        if (intDigits + fracDigits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int expDigits = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                expDigits++;
            }
            if (expDigits == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    // ------------------------------------------------------------------------------------------ queries

    /** {@return the number of examples, at least 1} */
    @Override
    public int count() {
        return count;
    }

    /** {@return the number of features per example, at least 1} */
    @Override
    public int features() {
        return features;
    }

    /** {@return the number of classes: labels are in {@code 0 … classes()-1}} */
    @Override
    public int classes() {
        return classes;
    }

    /**
     * The name of each class, by class number: a CSV file's label texts in sorted order, or {@code "0"},
     * {@code "1"}, … when the labels were numbers.
     *
     * @return {@link #classes()} names (unmodifiable)
     */
    public List<String> classNames() {
        return classNames != null ? classNames : numberNames(classes);
    }

    /** {@return true if the classes are named by text labels, false if the labels were class numbers} */
    public boolean hasClassNames() {
        return classNames != null;
    }

    /**
     * {@code "0"}, {@code "1"}, …, as an unmodifiable list computed on access (the class count may be large).
     *
     * @param classes the number of classes
     * @return the class numbers as text
     */
    static List<String> numberNames(int classes) {
        return Collections.unmodifiableList(new AbstractList<>() {
            @Override
            public String get(int index) {
                return Integer.toString(Objects.checkIndex(index, classes));
            }

            @Override
            public int size() {
                return classes;
            }
        });
    }

    /** {@return the features' names from a CSV header (unmodifiable), or an empty list for arrays} */
    public List<String> featureNames() {
        return featureNames;
    }

    /**
     * One example's features.
     *
     * @param index the example, {@code 0 … count()-1}
     * @return a copy of its {@link #features()} values
     * @throws IndexOutOfBoundsException if there is no such example
     */
    public double[] row(int index) {
        Objects.checkIndex(index, count);
        return Arrays.copyOfRange(values, index * features, (index + 1) * features);
    }

    /**
     * One example's class.
     *
     * @param index the example, {@code 0 … count()-1}
     * @return its label, in {@code 0 … classes()-1}
     * @throws IndexOutOfBoundsException if there is no such example
     */
    public int label(int index) {
        return labels[Objects.checkIndex(index, count)];
    }

    /** {@return every example's class, in order (a copy)} */
    public int[] labels() {
        return labels.clone();
    }

    /** {@return every example's features, one row each (a copy)} */
    public double[][] rows() {
        double[][] out = new double[count][];
        for (int i = 0; i < count; i++) {
            out[i] = row(i);
        }
        return out;
    }

    /**
     * The mean and standard deviation of each feature over these examples, for a model to standardize its
     * inputs with: take them from the training part of a split.
     *
     * @return the statistics (a constant feature gets a standard deviation of 1)
     * @throws IllegalArgumentException if a feature's values are so large that their mean overflows
     */
    public Standardization standardization() {
        return Standardization.ofRows(values, count, features);
    }

    // ---------------------------------------------------------------------------------------- splitting

    /**
     * Splits the examples at random into a training and a test part, stratified by class: each class
     * contributes {@code round(testFraction × its examples)} to the test part, so both parts have the
     * classes in the same proportions. The same seed gives the same split; each part keeps the examples in
     * their order here.
     *
     * @param testFraction the share of examples for the test part, strictly between 0 and 1
     * @param seed         the seed of the shuffle
     * @return the two parts, with this dataset's classes, class names and feature names
     * @throws IllegalArgumentException if the fraction is not strictly between 0 and 1, or if a part would be
     *                                  empty (too few examples for the fraction)
     */
    public Split split(double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("the test fraction must be strictly between 0 and 1, got " + testFraction);
        }
        // Examples grouped by class (sorting class·2³² + index keeps each group in index order), then each
        // group shuffled with the seed; its first round(fraction·size) go to the test part.
        long[] keys = new long[count];
        for (int i = 0; i < count; i++) {
            keys[i] = ((long) labels[i] << 32) | i;
        }
        Arrays.sort(keys);
        Random rnd = new Random(seed);
        boolean[] test = new boolean[count];
        int tests = 0;
        for (int start = 0; start < count; ) {
            int end = start;
            while (end < count && (keys[end] >>> 32) == (keys[start] >>> 32)) {
                end++;
            }
            int size = end - start;
            for (int k = size - 1; k > 0; k--) { // Fisher–Yates over the group
                int r = rnd.nextInt(k + 1);
                long t = keys[start + k];
                keys[start + k] = keys[start + r];
                keys[start + r] = t;
            }
            int take = (int) Math.round(testFraction * size);
            for (int k = 0; k < take; k++) {
                test[(int) keys[start + k]] = true;
            }
            tests += take;
            start = end;
        }
        if (tests == 0 || tests == count) {
            throw new IllegalArgumentException("a test fraction of " + testFraction + " of " + count + " examples leaves the "
                    + (tests == 0 ? "test" : "training") + " part empty");
        }
        return new Split(subset(test, false, count - tests), subset(test, true, tests));
    }

    private ArrayDataset subset(boolean[] test, boolean want, int n) {
        double[] v = new double[n * features];
        int[] y = new int[n];
        int k = 0;
        for (int i = 0; i < count; i++) {
            if (test[i] == want) {
                System.arraycopy(values, i * features, v, k * features, features);
                y[k++] = labels[i];
            }
        }
        return new ArrayDataset(n, features, classes, v, y, classNames, featureNames);
    }

    /**
     * The same examples with their classes numbered as in {@code names}: each example's class name is
     * looked up there. Use it to evaluate a model on a file read on its own, whose text labels may be a
     * subset of the model's classes: {@code data.withClassNames(model.classNames())}.
     *
     * @param names the class names to number by (e.g. a model's), each once
     * @return the relabelled dataset, with {@code names.size()} classes
     * @throws IllegalArgumentException if a class of these examples is not in {@code names} (naming the
     *                                  class and its first example), or {@code names} repeats a name
     */
    public ArrayDataset withClassNames(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw new IllegalArgumentException("class names must not be empty");
        }
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < names.size(); k++) {
            if (index.put(Objects.requireNonNull(names.get(k), "class name"), k) != null) {
                throw new IllegalArgumentException("class name '" + names.get(k) + "' appears twice in " + names);
            }
        }
        List<String> mine = classNames();
        int[] map = new int[classes];
        Arrays.fill(map, -1);
        int[] y = new int[count];
        for (int i = 0; i < count; i++) {
            int c = labels[i];
            if (map[c] < 0) {
                Integer to = index.get(mine.get(c));
                if (to == null) {
                    throw new IllegalArgumentException("class '" + Untrusted.printable(mine.get(c))
                            + "' of example " + i + " is not one of the " + names.size() + " classes "
                            + Untrusted.printable(names.toString()));
                }
                map[c] = to;
            }
            y[i] = map[c];
        }
        return new ArrayDataset(count, features, names.size(), values, y, List.copyOf(names), featureNames);
    }

    // ---------------------------------------------------------------------------------------- batches

    /**
     * Copies examples {@code order[from..to)} into the rows of {@code x} and their labels into
     * {@code y[0..to−from)}. Allocates nothing.
     *
     * @param order example indices
     * @param from  the first position in {@code order} to copy
     * @param to    one past the last position
     * @param x     an open (to−from)×{@link #features()} matrix (any stride)
     * @param y     receives the labels, at least to−from long
     * @throws IndexOutOfBoundsException if {@code [from, to)} is not inside {@code order}, an entry of
     *                                   {@code order} is not an example, or {@code y} is too short
     * @throws IllegalArgumentException  if {@code x} has the wrong shape
     */
    @Override
    public void fillBatch(int[] order, int from, int to, Matrix x, int[] y) {
        Objects.checkFromToIndex(from, to, order.length);
        int n = to - from;
        if (x.rows() != n || x.cols() != features) {
            throw new IllegalArgumentException("a batch of " + n + " examples of " + features + " features needs a "
                    + n + "×" + features + " matrix, got " + x.shape());
        }
        Objects.checkFromToIndex(0, n, y.length);
        if (x.dtype() == DType.FLOAT64) {
            MemorySegment dst = x.segment();
            long rowBytes = (long) x.stride() * Double.BYTES;
            for (int k = 0; k < n; k++) {
                int i = Objects.checkIndex(order[from + k], count);
                MemorySegment.copy(values, i * features, dst, D, k * rowBytes, features);
                y[k] = labels[i];
            }
        } else {
            for (int k = 0; k < n; k++) {
                int i = Objects.checkIndex(order[from + k], count);
                x.setRow(k, values, i * features);
                y[k] = labels[i];
            }
        }
    }

    @Override
    public String toString() {
        return "ArrayDataset[" + count + " examples, " + features + " features, " + classes + " classes]";
    }
}

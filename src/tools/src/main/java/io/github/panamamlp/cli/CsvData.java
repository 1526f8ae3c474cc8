package io.github.panamamlp.cli;

import io.github.panamamlp.data.ArrayDataset;
import io.github.panamamlp.nn.Model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The commands' CSV side: {@code --data FILE.csv} (a file, where IDX data is a directory), the label column
 * ({@code --label}, by header or 0-based index; default the last column) and the feature columns (every
 * other one but those {@code --drop} names, or, for a saved model, the columns it was trained on, by name).
 */
final class CsvData {
    private CsvData() {
    }

    /** {@return true if {@code data} names a CSV file rather than a directory of IDX files} */
    static boolean isCsv(Path data) {
        return Files.isRegularFile(data);
    }

    /**
     * The label column's name: {@code label} if the header has it, else the column at that 0-based index,
     * else (no {@code --label}) the last column.
     *
     * @throws IllegalArgumentException if there is no such column
     */
    static String labelColumn(List<String> header, String label) {
        if (label == null) {
            return header.getLast();
        }
        if (header.contains(label)) {
            return label;
        }
        if (label.matches("[0-9]{1,9}") && Integer.parseInt(label) < header.size()) {
            return header.get(Integer.parseInt(label));
        }
        throw new IllegalArgumentException("--label " + label + ": no such column; the header has " + String.join(", ", header));
    }

    /**
     * Every column but the label and the {@code drop}ped ones, in the file's order.
     *
     * @throws IllegalArgumentException if a dropped column is not in the header, or none is left
     */
    static List<String> featureColumns(List<String> header, String label, List<String> drop) {
        Set<String> dropped = new LinkedHashSet<>(drop);
        for (String d : dropped) {
            if (!header.contains(d)) {
                throw new IllegalArgumentException("--drop " + d + ": no such column; the header has " + String.join(", ", header));
            }
            if (d.equals(label)) {
                throw new IllegalArgumentException("--drop " + d + ": that is the label column");
            }
        }
        List<String> features = new ArrayList<>();
        for (String h : header) {
            if (!h.equals(label) && !dropped.contains(h) && !features.contains(h)) {
                features.add(h);
            }
        }
        if (features.isEmpty()) {
            throw new IllegalArgumentException("no feature column is left besides the label " + label);
        }
        return features;
    }

    /**
     * The columns a saved model takes: those it was trained on, by name, when its file names them; else
     * every column but the label ({@code --label}, or the last one when the file has one column more than the
     * model takes).
     *
     * @throws IllegalArgumentException if the count does not fit the model
     */
    static List<String> modelColumns(Model model, List<String> header, String label) {
        if (!model.featureNames().isEmpty()) {
            return model.featureNames();
        }
        List<String> rest = new ArrayList<>(header);
        if (label != null) {
            rest.remove(labelColumn(header, label));
        } else if (header.size() == model.inputSize() + 1) {
            rest.removeLast();
        }
        if (rest.size() != model.inputSize()) {
            throw new IllegalArgumentException("the model takes " + model.inputSize() + " features but the file has "
                    + rest.size() + " columns to give it (" + String.join(", ", rest) + "); name the label with --label");
        }
        return rest;
    }

    /**
     * A CSV file read for a saved model: its label column, its feature columns as the model takes them,
     * and text labels numbered as the model's classes.
     */
    static ArrayDataset forModel(Model model, Path file, String label) {
        List<String> header = ArrayDataset.readCsvHeader(file);
        String labelName = labelColumn(header, label);
        ArrayDataset data = ArrayDataset.readCsv(file, labelName, modelColumns(model, header, labelName));
        return data.hasClassNames() ? data.withClassNames(model.classNames()) : data;
    }
}

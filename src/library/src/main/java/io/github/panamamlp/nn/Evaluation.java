package io.github.panamamlp.nn;

import java.util.List;
import java.util.Locale;

/**
 * A model's loss, accuracy and confusion matrix on a set of examples, from {@link Model#evaluate}.
 *
 * @param loss      mean cross-entropy
 * @param accuracy  fraction of examples whose predicted class (the most probable one) is the label
 * @param count     the number of examples
 * @param confusion confusion[true][predicted] counts
 */
public record Evaluation(double loss, double accuracy, int count, long[][] confusion) {

    /** {@return the confusion matrix as an aligned table, rows = true class, columns = predicted class, by number} */
    public String confusionTable() {
        String[] names = new String[confusion.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = Integer.toString(i);
        }
        return confusionTable(List.of(names));
    }

    /**
     * The confusion matrix as an aligned table, its rows (true class) and columns (predicted class) headed
     * by the classes' names, e.g. {@code model.classNames()}.
     *
     * @param classNames one name per class
     * @return the table, one line per class after a header line
     * @throws IllegalArgumentException if there is not one name per class
     */
    public String confusionTable(List<String> classNames) {
        int c = confusion.length;
        if (classNames.size() != c) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + c + " classes");
        }
        int width = 5;
        long most = 0;
        for (long[] row : confusion) {
            for (long v : row) {
                most = Math.max(most, v);
            }
        }
        width = Math.max(width, Long.toString(most).length());
        int label = "true\\pred".length();
        for (String name : classNames) {
            width = Math.max(width, name.length());
            label = Math.max(label, name.length());
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-" + label + "s", "true\\pred"));
        for (String name : classNames) {
            sb.append(String.format(Locale.ROOT, " %" + width + "s", name));
        }
        sb.append('\n');
        for (int i = 0; i < c; i++) {
            sb.append(String.format(Locale.ROOT, "%" + label + "s", classNames.get(i)));
            for (int j = 0; j < c; j++) {
                sb.append(String.format(Locale.ROOT, " %" + width + "d", confusion[i][j]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}

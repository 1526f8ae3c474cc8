/**
 * Where training data comes from: anything that fills mini-batches is a
 * {@link io.github.panamamlp.data.BatchSource}.
 * <ul>
 *   <li>{@link io.github.panamamlp.data.ArrayDataset}: your own data, from {@code double[][]} or
 *       {@code float[][]} with {@code int[]} labels, or from a CSV file; split into training and test parts
 *       (seeded, stratified), with the {@link io.github.panamamlp.data.Standardization} of its features;</li>
 *   <li>{@link io.github.panamamlp.data.Dataset}: an IDX data set such as MNIST (training and test
 *       {@link io.github.panamamlp.data.LabeledImages} of {@link io.github.panamamlp.data.IdxImages} and
 *       {@link io.github.panamamlp.data.IdxLabels});</li>
 *   <li>{@link io.github.panamamlp.data.GrayImage}: one grayscale PNG or PGM image as a model's input.</li>
 * </ul>
 * Files that are missing or malformed fail with a {@link io.github.panamamlp.data.DatasetException} naming
 * the file and the place; arrays that do not fit, with an {@link IllegalArgumentException} naming the row.
 */
package io.github.panamamlp.data;

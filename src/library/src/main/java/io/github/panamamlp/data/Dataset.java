package io.github.panamamlp.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A training set and a test set of labeled images, loaded from a directory in the layout of MNIST (the same
 * form serves Fashion-MNIST and any IDX dataset of unsigned-byte images and labels, of any image size).
 *
 * @param train the training set
 * @param test  the test set; its images have the training images' size
 */
public record Dataset(LabeledImages train, LabeledImages test) {
    /** Standard file names; each may also be present gzip-compressed with a {@code .gz} suffix. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    /** Training labels. */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    /** Test images. */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    /** Test labels. */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /**
     * Checks that the two sets fit together.
     *
     * @throws IllegalArgumentException if the image sizes or numbers of classes of the two sets differ
     */
    public Dataset {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        if (train.images().rows() != test.images().rows() || train.images().cols() != test.images().cols()) {
            throw new IllegalArgumentException("training images are " + train.images().rows() + "×"
                    + train.images().cols() + " but test images are " + test.images().rows() + "×" + test.images().cols());
        }
        if (train.numClasses() != test.numClasses()) {
            throw new IllegalArgumentException(train.numClasses() + " training classes but " + test.numClasses() + " test classes");
        }
    }

    /**
     * Loads a dataset of 10 classes (labels 0–9); see {@link #load(Path, int)}.
     *
     * @param dir the directory with the four IDX files
     * @return the training and test sets
     * @throws DatasetException if the directory or a file is missing or malformed
     */
    public static Dataset load(Path dir) {
        return load(dir, IdxLabels.DEFAULT_CLASSES);
    }

    /**
     * Loads the four files {@value #TRAIN_IMAGES}, {@value #TRAIN_LABELS}, {@value #TEST_IMAGES} and
     * {@value #TEST_LABELS} from {@code dir}, each raw or with a {@code .gz} suffix (when both exist the raw
     * file is used). Every label must be in {@code 0 … numClasses-1}.
     *
     * @param dir        the directory with the four IDX files
     * @param numClasses the number of classes, 1…256
     * @return the training and test sets
     * @throws DatasetException if the directory or a file is missing or malformed, a set has a different
     *                          number of images and labels, or the training and test images differ in size
     */
    public static Dataset load(Path dir, int numClasses) {
        IdxLabels.checkClasses(numClasses);
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(dir, Files.exists(dir) ? "not a directory" : "dataset directory does not exist");
        }
        Path trainImagesFile = locate(dir, TRAIN_IMAGES);
        Path trainLabelsFile = locate(dir, TRAIN_LABELS);
        Path testImagesFile = locate(dir, TEST_IMAGES);
        Path testLabelsFile = locate(dir, TEST_LABELS);
        LabeledImages train = pair(trainImagesFile, trainLabelsFile, numClasses);
        LabeledImages test = pair(testImagesFile, testLabelsFile, numClasses);
        IdxImages a = train.images();
        IdxImages b = test.images();
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            throw new DatasetException(testImagesFile, "images are " + b.rows() + "×" + b.cols() + " but those of "
                    + trainImagesFile.getFileName() + " are " + a.rows() + "×" + a.cols());
        }
        return new Dataset(train, test);
    }

    /**
     * Loads the test set alone ({@value #TEST_IMAGES} and {@value #TEST_LABELS}, raw or gzip), for commands
     * that only evaluate or predict: MNIST's training files are six times as large.
     *
     * @param dir        the directory with the IDX files
     * @param numClasses the number of classes, 1…256
     * @return the test images with their labels
     * @throws DatasetException if the directory or a file is missing or malformed, or the counts differ
     */
    public static LabeledImages loadTest(Path dir, int numClasses) {
        IdxLabels.checkClasses(numClasses);
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(dir, Files.exists(dir) ? "not a directory" : "dataset directory does not exist");
        }
        return pair(locate(dir, TEST_IMAGES), locate(dir, TEST_LABELS), numClasses);
    }

    /**
     * What a dataset directory declares, from the headers of its two image files alone.
     *
     * @param trainCount training images
     * @param testCount  test images
     * @param rows       rows of an image
     * @param cols       columns of an image
     */
    public record Sizes(int trainCount, int testCount, int rows, int cols) {
        /** {@return the bytes the images and labels take once loaded} */
        public long loadedBytes() {
            return ((long) trainCount + testCount) * ((long) rows * cols + 1);
        }
    }

    /**
     * Reads the headers of the training and test image files of {@code dir} (the layout of
     * {@link #load(Path, int)}), not their pixels: the sizes of a run can be known in milliseconds, before
     * the data is loaded. The files' contents are checked by {@link #load}.
     *
     * @param dir the directory with the four IDX files
     * @return the declared counts and image size (of the training images)
     * @throws DatasetException if the directory or an image file is missing, or a header is malformed
     */
    public static Sizes sizes(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(dir, Files.exists(dir) ? "not a directory" : "dataset directory does not exist");
        }
        int[] train = IdxReader.readImagesHeader(locate(dir, TRAIN_IMAGES));
        int[] test = IdxReader.readImagesHeader(locate(dir, TEST_IMAGES));
        return new Sizes(train[0], test[0], train[1], train[2]);
    }

    /**
     * The file for {@code name} in {@code dir}: the raw file if it exists, else {@code name.gz}.
     *
     * @param dir  the directory
     * @param name the file name without {@code .gz}
     * @return the file to read
     *
     * @throws DatasetException naming the file and the directory if neither exists
     */
    public static Path locate(Path dir, String name) {
        Path raw = dir.resolve(name);
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw new DatasetException(raw, "missing: neither " + name + " nor " + name + ".gz is a file in directory " + dir);
    }

    private static LabeledImages pair(Path imagesFile, Path labelsFile, int numClasses) {
        IdxImages images = IdxReader.readImages(imagesFile);
        IdxLabels labels = IdxReader.readLabels(labelsFile, numClasses);
        if (images.count() != labels.count()) {
            throw new DatasetException(imagesFile, "holds " + images.count() + " images but " + labelsFile
                    + " holds " + labels.count() + " labels");
        }
        return new LabeledImages(images, labels);
    }

    /**
     * The first samples of each set (copies), for quick runs.
     *
     * @param trainCount training samples to keep, ≤ the training set's size
     * @param testCount  test samples to keep, ≤ the test set's size
     * @return the smaller dataset
     * @throws IllegalArgumentException if a count is negative or too large
     */
    public Dataset head(int trainCount, int testCount) {
        return new Dataset(train.head(trainCount), test.head(testCount));
    }
}

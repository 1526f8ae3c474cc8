package io.github.panamamlp.data;

import io.github.panamamlp.internal.Untrusted;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;

/**
 * Reads one grayscale image for prediction — a PNG or a binary PGM ({@code P5}, maxval ≤ 255), recognized by
 * content — as pixel intensities in [0, 1], row-major.
 *
 * <p><b>Convention:</b> as in MNIST, 0 is black and 1 white, and the network expects a <em>white digit on a
 * black background</em>. Images are not inverted: a black digit drawn on white paper must be inverted by
 * the caller (or the user) first.
 *
 * <p>Conversion: a gray PNG (1–16 bits) gives sample / (2^bits − 1); a colour or palette PNG gives its luma
 * (0.299 R + 0.587 G + 0.114 B) / 255; an alpha channel is composited over black (so a transparent background
 * counts as black); a PGM gives sample / maxval. The size is checked from the header, before the pixels
 * are decoded.
 */
public final class GrayImage {
    /** Side of an MNIST image. */
    public static final int MNIST_SIDE = 28;

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    /** No PGM header number we accept has more digits (the size is checked right after). */
    private static final int MAX_DIGITS = 9;

    private GrayImage() {
    }

    /**
     * Reads a 28×28 image (MNIST size); see {@link #read(Path, int, int)}.
     *
     * @param file a PNG or binary PGM file
     * @return 784 intensities in [0, 1], row-major, 0 = black, 1 = white
     * @throws DatasetException if the file is missing, not a PNG or binary PGM, corrupt, or not 28×28
     */
    public static double[] read(Path file) {
        return read(file, MNIST_SIDE, MNIST_SIDE);
    }

    /**
     * Reads an image of exactly {@code rows} × {@code cols} pixels (height × width).
     *
     * @param file a PNG or binary PGM file
     * @param rows the height it must have
     * @param cols the width it must have
     * @return rows·cols intensities in [0, 1], row-major, 0 = black, 1 = white
     * @throws DatasetException if the file is missing, not a PNG or binary PGM, corrupt, or of another size
     */
    public static double[] read(Path file, int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + rows + "×" + cols);
        }
        try {
            byte[] start;
            try (InputStream in = Files.newInputStream(file)) {
                start = in.readNBytes(PNG_SIGNATURE.length);
            }
            if (Arrays.equals(start, PNG_SIGNATURE)) {
                return readPng(file, rows, cols);
            }
            if (start.length >= 2 && start[0] == 'P' && start[1] == '5') {
                try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                    return readPgm(in, file, rows, cols);
                }
            }
            if (start.length >= 2 && start[0] == 'P' && start[1] >= '1' && start[1] <= '7') {
                throw new DatasetException(file, "Netpbm format P" + (char) start[1]
                        + " is not supported: use a PNG or a binary PGM (P5)");
            }
            throw new DatasetException(file, "not a PNG or binary PGM (P5) image");
        } catch (NoSuchFileException e) {
            throw new DatasetException(file, "file does not exist", e);
        } catch (AccessDeniedException e) {
            throw new DatasetException(file, "permission denied", e);
        } catch (IOException e) {
            throw new DatasetException(file, "cannot read: " + e, e);
        }
    }

    private static double[] readPng(Path file, int rows, int cols) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
        if (!readers.hasNext()) {
            throw new DatasetException(file, "this Java runtime has no PNG reader");
        }
        ImageReader reader = readers.next();
        BufferedImage image;
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            reader.setInput(in, true, true);
            // Width and height come from the header: a wrong or absurd size is rejected before decoding.
            checkSize(file, reader.getWidth(0), reader.getHeight(0), rows, cols);
            image = reader.read(0);
        } catch (IOException | RuntimeException e) {
            if (e instanceof DatasetException d) {
                throw d;
            }
            throw new DatasetException(file, "corrupt PNG: " + (e.getMessage() != null ? e.getMessage() : e.toString()), e);
        } finally {
            reader.dispose();
        }
        return toGray(image, rows, cols);
    }

    private static double[] toGray(BufferedImage image, int rows, int cols) {
        double[] out = new double[rows * cols];
        ColorModel model = image.getColorModel();
        Raster raster = image.getRaster();
        if (model.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(model instanceof IndexColorModel)) {
            // Read gray samples directly: getRGB would pass them through a linear-gray → sRGB conversion.
            double max = (1L << model.getComponentSize(0)) - 1;
            boolean alpha = model.hasAlpha();
            double alphaMax = alpha ? (1L << model.getComponentSize(1)) - 1 : 1;
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < cols; x++) {
                    double v = raster.getSample(x, y, 0) / max;
                    if (alpha) {
                        v *= raster.getSample(x, y, 1) / alphaMax;
                    }
                    out[y * cols + x] = v;
                }
            }
        } else {
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < cols; x++) {
                    int argb = image.getRGB(x, y); // sRGB, not premultiplied
                    int a = argb >>> 24;
                    int r = (argb >> 16) & 0xFF;
                    int g = (argb >> 8) & 0xFF;
                    int b = argb & 0xFF;
                    // Integer weights: white is exactly 1.0.
                    out[y * cols + x] = (299L * r + 587L * g + 114L * b) * a / (1000.0 * 255 * 255);
                }
            }
        }
        return out;
    }

    /** Parses a binary PGM: "P5", width, height, maxval (separated by whitespace and # comments), one whitespace, pixels. */
    private static double[] readPgm(InputStream in, Path file, int rows, int cols) throws IOException {
        in.skipNBytes(2); // "P5", checked by the caller
        int width = pgmNumber(in, file, "width");
        int height = pgmNumber(in, file, "height");
        int maxval = pgmNumber(in, file, "maxval");
        // pgmNumber consumed the single whitespace byte that ends the header.
        checkSize(file, width, height, rows, cols);
        if (maxval < 1 || maxval > 255) {
            throw new DatasetException(file, "PGM maxval " + maxval + " is not supported: it must be 1…255 (8-bit)");
        }
        byte[] pixels = in.readNBytes(rows * cols);
        if (pixels.length < rows * cols) {
            throw new DatasetException(file, "truncated PGM: " + rows * cols + " pixel bytes expected, "
                    + pixels.length + " present");
        }
        if (in.read() >= 0) {
            throw new DatasetException(file, "unexpected bytes after the " + cols + "×" + rows + " PGM pixels");
        }
        double[] out = new double[rows * cols];
        for (int i = 0; i < out.length; i++) {
            int p = pixels[i] & 0xFF;
            if (p > maxval) {
                throw new DatasetException(file, "pixel value " + p + " at row " + i / cols + ", column " + i % cols
                        + " exceeds the PGM maxval " + maxval);
            }
            out[i] = (double) p / maxval;
        }
        return out;
    }

    /** Skips whitespace and comments, reads a decimal number and the one byte that ends it. */
    private static int pgmNumber(InputStream in, Path file, String what) throws IOException {
        int c = in.read();
        while (true) {
            if (c == '#') {
                while (c >= 0 && c != '\n' && c != '\r') {
                    c = in.read();
                }
            } else if (isPgmSpace(c)) {
                c = in.read();
            } else {
                break;
            }
        }
        if (c < 0) {
            throw new DatasetException(file, "truncated PGM header: the " + what + " is missing");
        }
        if (c < '0' || c > '9') {
            throw new DatasetException(file, "bad PGM header: expected the " + what + ", found " + Untrusted.character(c));
        }
        int value = 0;
        int digits = 0;
        while (c >= '0' && c <= '9') {
            if (++digits > MAX_DIGITS) {
                throw new DatasetException(file, "bad PGM header: the " + what + " has more than " + MAX_DIGITS + " digits");
            }
            value = value * 10 + (c - '0');
            c = in.read();
        }
        if (c < 0) {
            throw new DatasetException(file, "truncated PGM header after the " + what);
        }
        if (!isPgmSpace(c)) {
            throw new DatasetException(file, "bad PGM header: the " + what + " is followed by " + Untrusted.character(c));
        }
        return value;
    }

    private static boolean isPgmSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == '\f';
    }

    private static void checkSize(Path file, int width, int height, int rows, int cols) {
        if (width != cols || height != rows) {
            throw new DatasetException(file, "image is " + width + " pixels wide and " + height + " high; "
                    + cols + " wide and " + rows + " high (" + rows + "×" + cols + ") is required");
        }
    }
}

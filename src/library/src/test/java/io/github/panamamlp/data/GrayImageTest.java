package io.github.panamamlp.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import static io.github.panamamlp.data.IdxFiles.assertFails;
import static io.github.panamamlp.data.IdxFiles.concat;
import static io.github.panamamlp.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrayImageTest {
    @TempDir
    Path dir;

    /** A test pattern 0…255 that differs in every row and column, so transposition or flips show. */
    private static int pattern(int y, int x) {
        return (y * 28 + x * 3) % 256;
    }

    private Path png(String name, BufferedImage image) throws IOException {
        Path f = dir.resolve(name);
        assertTrue(ImageIO.write(image, "png", f.toFile()), "no PNG writer");
        return f;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void readsAGrayPngExactly() throws IOException {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                image.getRaster().setSample(x, y, 0, pattern(y, x));
            }
        }
        double[] v = GrayImage.read(png("digit.png", image));
        assertEquals(784, v.length);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                assertEquals(pattern(y, x) / 255.0, v[y * 28 + x], "pixel at row " + y + ", column " + x);
            }
        }
    }

    @Test
    void readsA16BitGrayPng() throws IOException {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setSample(3, 2, 0, 65535);
        image.getRaster().setSample(4, 2, 0, 1000);
        double[] v = GrayImage.read(png("deep.png", image));
        assertEquals(1.0, v[2 * 28 + 3]);
        assertEquals(1000 / 65535.0, v[2 * 28 + 4], 1e-15);
        assertEquals(0.0, v[0]);
    }

    @Test
    void convertsAColourPngToLuma() throws IOException {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xFFFFFF);
        image.setRGB(1, 0, 0xFF0000);
        image.setRGB(2, 0, 0x00FF00);
        image.setRGB(0, 1, 0x0000FF);
        image.setRGB(5, 7, 0x808080);
        double[] v = GrayImage.read(png("colour.png", image));
        assertEquals(1.0, v[0]);
        assertEquals(0.299, v[1], 1e-12);
        assertEquals(0.587, v[2], 1e-12);
        assertEquals(0.114, v[28], 1e-12);
        assertEquals(128 / 255.0, v[7 * 28 + 5], 1e-12);
        assertEquals(0.0, v[3]);
    }

    @Test
    void compositesTransparencyOverBlack() throws IOException {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_INT_ARGB); // all transparent
        image.setRGB(10, 10, 0xFFFFFFFF);
        image.setRGB(11, 10, 0x00FFFFFF); // white but fully transparent
        double[] v = GrayImage.read(png("alpha.png", image));
        assertEquals(1.0, v[10 * 28 + 10]);
        assertEquals(0.0, v[10 * 28 + 11]);
        assertEquals(0.0, Arrays.stream(v).sum() - 1.0);
    }

    @Test
    void readsABinaryPgmWithComments() {
        byte[] pixels = new byte[28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) pattern(i / 28, i % 28);
        }
        Path f = write(dir.resolve("digit.pgm"), concat(ascii("P5\n# made by a test\n28 28\n255\n"), pixels));
        double[] v = GrayImage.read(f);
        for (int i = 0; i < v.length; i++) {
            assertEquals((pixels[i] & 0xFF) / 255.0, v[i]);
        }
    }

    @Test
    void scalesAPgmByItsMaxval() {
        // 5 wide, 3 high: rows and columns must not be swapped.
        byte[] pixels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15};
        Path f = write(dir.resolve("small.pgm"), concat(ascii("P5 5 3 15 "), pixels));
        double[] v = GrayImage.read(f, 3, 5);
        double[] expected = new double[15];
        for (int i = 0; i < 15; i++) {
            expected[i] = pixels[i] / 15.0;
        }
        assertArrayEquals(expected, v);
        assertFails(f, () -> GrayImage.read(f, 5, 3), "5 pixels wide and 3 high", "3 wide and 5 high");
    }

    @Test
    void rejectsOtherSizesNamingTheFile() throws IOException {
        Path f = png("big.png", new BufferedImage(29, 28, BufferedImage.TYPE_BYTE_GRAY));
        assertFails(f, () -> GrayImage.read(f), "29 pixels wide and 28 high", "28×28");
        Path g = write(dir.resolve("short.pgm"), concat(ascii("P5\n28 27\n255\n"), new byte[28 * 27]));
        assertFails(g, () -> GrayImage.read(g), "28 pixels wide and 27 high", "28×28");
    }

    @Test
    void rejectsAHugeDeclaredSizeBeforeDecoding() {
        // An absurd PGM header must be rejected on the numbers, not by trying to read the pixels.
        Path f = write(dir.resolve("huge.pgm"), ascii("P5 999999999 999999999 255\n"));
        assertFails(f, () -> GrayImage.read(f), "999999999 pixels wide");
        Path g = write(dir.resolve("overlong.pgm"), ascii("P5 99999999999 28 255\n"));
        assertFails(g, () -> GrayImage.read(g), "bad PGM header", "width has more than 9 digits");
    }

    @Test
    void rejectsUnsupportedAndMalformedPgm() {
        Path ascii = write(dir.resolve("ascii.pgm"), ascii("P2\n28 28\n255\n0 0 0\n"));
        assertFails(ascii, () -> GrayImage.read(ascii), "P2 is not supported", "P5");
        Path deep = write(dir.resolve("deep.pgm"), concat(ascii("P5\n28 28\n65535\n"), new byte[2 * 784]));
        assertFails(deep, () -> GrayImage.read(deep), "maxval 65535", "1…255");
        Path cut = write(dir.resolve("cut.pgm"), concat(ascii("P5\n28 28\n255\n"), new byte[700]));
        assertFails(cut, () -> GrayImage.read(cut), "truncated PGM", "784 pixel bytes expected, 700 present");
        Path extra = write(dir.resolve("extra.pgm"), concat(ascii("P5\n28 28\n255\n"), new byte[785]));
        assertFails(extra, () -> GrayImage.read(extra), "unexpected bytes after");
        byte[] bright = new byte[784];
        bright[30] = 101;
        Path over = write(dir.resolve("over.pgm"), concat(ascii("P5\n28 28\n100\n"), bright));
        assertFails(over, () -> GrayImage.read(over), "pixel value 101 at row 1, column 2 exceeds the PGM maxval 100");
        Path header = write(dir.resolve("header.pgm"), ascii("P5\n28 "));
        assertFails(header, () -> GrayImage.read(header), "truncated PGM header", "height");
        Path junk = write(dir.resolve("junk.pgm"), ascii("P5\n28 x8\n255\n"));
        assertFails(junk, () -> GrayImage.read(junk), "bad PGM header", "expected the height, found 'x'");
    }

    @Test
    void rejectsFilesThatAreNotImages() throws IOException {
        Path text = write(dir.resolve("notes.png"), ascii("hello, not an image"));
        assertFails(text, () -> GrayImage.read(text), "not a PNG or binary PGM (P5) image");
        Path good = png("good.png", new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY));
        byte[] bytes = java.nio.file.Files.readAllBytes(good);
        Path corrupt = write(dir.resolve("corrupt.png"), Arrays.copyOf(bytes, 12));
        assertFails(corrupt, () -> GrayImage.read(corrupt), "corrupt PNG");
        Path missing = dir.resolve("missing.png");
        assertFails(missing, () -> GrayImage.read(missing), "does not exist");
        assertThrows(IllegalArgumentException.class, () -> GrayImage.read(good, 0, 28));
    }
}

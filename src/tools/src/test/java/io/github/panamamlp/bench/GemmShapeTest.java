package io.github.panamamlp.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GemmShapeTest {

    @Test
    void flopsAreTwoMNK() {
        assertEquals(2L * 100 * 50 * 784, new GemmShape("x", 100, 50, 784, false, false).flops());
        assertEquals(2, new GemmShape("x", 1, 1, 1, false, false).flops());
        // No int overflow: 2·46340³ (the largest cube whose operands fit) is far beyond an int.
        assertEquals(2L * 46340 * 46340 * 46340, new GemmShape("x", 46340, 46340, 46340, false, false).flops());
        assertEquals(199_020_624_208_000L, new GemmShape("x", 46340, 46340, 46340, false, false).flops());
    }

    @Test
    void specRoundTripsAndStoredShapesFollowTheTransposes() {
        GemmShape s = GemmShape.parse("784,50,100,T,N");
        assertEquals(new GemmShape("784,50,100,T,N", 784, 50, 100, true, false), s);
        assertEquals("784,50,100,T,N", s.spec());
        assertEquals(100, s.aRows());
        assertEquals(784, s.aCols());
        assertEquals(100, s.bRows());
        assertEquals(50, s.bCols());
        GemmShape t = GemmShape.parse("100,50,10,n,t");
        assertEquals(10, t.aCols());
        assertEquals(50, t.bRows());
        assertEquals(10, t.bCols());
        assertEquals("100,50,10,N,T", t.spec());
        assertEquals("100×50×10 A·Bᵀ", t.dims());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1,2,3", "1,2,3,N", "1,2,3,N,N,N", "a,2,3,N,N", "1,2,3,X,N", "0,2,3,N,N", "-1,2,3,N,N",
            "1000001,1,1,N,N", "100000,100000,1,N,N"})
    void badSpecsAreRejectedWithTheSpecInTheMessage(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GemmShape.parse(spec));
        assertTrue(e.getMessage().contains("'" + spec + "'"), e.getMessage());
    }

    @Test
    void thePresetsAreTheNetworksProducts() {
        List<GemmShape> net = GemmShape.network();
        // forward X·W1 for both batch sizes
        assertTrue(net.stream().anyMatch(s -> s.sameProduct(GemmShape.parse("100,50,784,N,N"))));
        assertTrue(net.stream().anyMatch(s -> s.sameProduct(GemmShape.parse("32,50,784,N,N"))));
        // dW1 = Xᵀ·dH and its transposed layout dW1ᵀ = dHᵀ·X
        assertTrue(net.stream().anyMatch(s -> s.sameProduct(GemmShape.parse("784,50,100,T,N"))));
        assertTrue(net.stream().anyMatch(s -> s.sameProduct(GemmShape.parse("784,50,32,T,N"))));
        assertTrue(net.stream().anyMatch(s -> s.sameProduct(GemmShape.parse("50,784,100,T,N"))));
        // second layer: forward, dW2 = Hᵀ·dY, dH = dY·W2ᵀ
        assertTrue(net.stream().anyMatch(s -> s.sameProduct(GemmShape.parse("100,10,50,N,N"))));
        assertTrue(net.stream().anyMatch(s -> s.sameProduct(GemmShape.parse("50,10,100,T,N"))));
        assertTrue(net.stream().anyMatch(s -> s.sameProduct(GemmShape.parse("100,50,10,N,T"))));
        List<GemmShape> all = GemmShape.defaults();
        assertTrue(all.containsAll(net) && all.containsAll(GemmShape.tiny()) && all.contains(GemmShape.square1024()));
        assertEquals(all.size(), all.stream().map(GemmShape::name).distinct().count(), "names are unique");
        assertFalse(GemmShape.parse("1,1,1,N,N").sameProduct(GemmShape.parse("1,1,1,T,N")));
    }
}

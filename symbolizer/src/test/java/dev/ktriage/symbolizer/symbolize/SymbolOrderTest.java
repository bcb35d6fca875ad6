package dev.ktriage.symbolizer.symbolize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;
import java.nio.charset.StandardCharsets;

/** The packed primitive sort of symbols orders exactly as the general stable merge sort. */
class SymbolOrderTest {

  @Test
  void packedSortMatchesMergeSort() {
    Random rnd = new Random(11);
    for (int round = 0; round < 200; round++) {
      int k = 1 + rnd.nextInt(400);
      long base = round % 2 == 0 ? 0xffffffff81000000L : 0x10000L;
      long[] addr = new long[k];
      int[] rank = new int[k];
      int[] name = new int[k];
      ByteArrayOutputStream names = new ByteArrayOutputStream();
      names.write(0);
      for (int i = 0; i < k; i++) {
        // Few distinct addresses, ranks and names: many ties to order.
        addr[i] = base + 16L * rnd.nextInt(Math.max(1, k / 3));
        rank[i] = rnd.nextInt(8);
        name[i] = names.size();
        byte[] n = ("f" + rnd.nextInt(5)).getBytes(StandardCharsets.US_ASCII);
        names.write(n, 0, n.length);
        names.write(0);
      }
      byte[] str = names.toByteArray();
      int[] expected = new int[k];
      for (int i = 0; i < k; i++) {
        expected[i] = i;
      }
      SymbolTable.mergeSort(expected, new int[k], 0, k, addr, rank, name, str);
      assertArrayEquals(expected, SymbolTable.packedSort(k, addr, rank, name, str), "round " + round);
    }
  }

  @Test
  void packedSortDeclinesWideAddressSpans() {
    long[] addr = {0L, 1L << 41};
    assertNull(SymbolTable.packedSort(2, addr, new int[2], new int[2], new byte[] {0}));
  }
}

package io.lumadb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A part's postings answer exactly the rows whose code is accepted (and the NULL rows when
 * asked), in order, for one value, several values (read back through a bitmap) and none; a
 * condition accepting more than an eighth of the rows is left to the row-by-row loop (-1).
 */
class CodePostingsTest {
  @Test
  void rowsOfTheAcceptedValuesInOrder() {
    SplittableRandom random = new SplittableRandom(42);
    for (int rows : new int[] {1, 63, 64, 65, 1000, 4099}) {
      int values = 60;
      int[] code = IntStream.range(0, rows).map(r -> random.nextInt(10) == 0 ? -1 : random.nextInt(values)).toArray();
      CodePostings postings = CodePostings.build(rows, values, r -> code[r]);
      for (int trial = 0; trial < 200; trial++) {
        boolean[] accepted = new boolean[values];
        int picks = random.nextInt(5); // none, one or a few values
        for (int i = 0; i < picks; i++) {
          accepted[random.nextInt(values)] = true;
        }
        boolean acceptNull = random.nextInt(4) == 0;
        int[] expected = IntStream.range(0, rows)
            .filter(r -> code[r] < 0 ? acceptNull : accepted[code[r]]).toArray();
        int[] sel = new int[rows];
        int k = postings.select(sel, accepted, acceptNull);
        if (expected.length > rows / 8) {
          assertEquals(-1, k, "not selective: left to the loop");
        } else {
          assertArrayEquals(expected, Arrays.copyOf(sel, k), rows + " rows, " + picks + " values, nulls " + acceptNull);
        }
      }
    }
  }
}

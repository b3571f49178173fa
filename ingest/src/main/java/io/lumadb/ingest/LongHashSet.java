package io.lumadb.ingest;

/**
 * A set of longs with open addressing (linear probing, load at most one half): 16 bytes or
 * less per entry where a {@code HashSet<Long>} takes about 60. Zero is stored as one; callers
 * hash their keys anyway. Not thread-safe.
 */
final class LongHashSet {
  private long[] slots = new long[16];
  private int size;

  int size() {
    return size;
  }

  boolean contains(long key) {
    long k = key == 0 ? 1 : key;
    int mask = slots.length - 1;
    for (int i = slot(k, mask); ; i = (i + 1) & mask) {
      long s = slots[i];
      if (s == 0) {
        return false;
      }
      if (s == k) {
        return true;
      }
    }
  }

  /** Adds the key; false if it was there. */
  boolean add(long key) {
    long k = key == 0 ? 1 : key;
    if ((size + 1) * 2 > slots.length) {
      grow();
    }
    int mask = slots.length - 1;
    for (int i = slot(k, mask); ; i = (i + 1) & mask) {
      long s = slots[i];
      if (s == 0) {
        slots[i] = k;
        size++;
        return true;
      }
      if (s == k) {
        return false;
      }
    }
  }

  /** Removes the key; false if it was not there. Later entries of its run shift back. */
  boolean remove(long key) {
    long k = key == 0 ? 1 : key;
    int mask = slots.length - 1;
    int i = slot(k, mask);
    while (slots[i] != k) {
      if (slots[i] == 0) {
        return false;
      }
      i = (i + 1) & mask;
    }
    slots[i] = 0;
    size--;
    for (int j = (i + 1) & mask; slots[j] != 0; j = (j + 1) & mask) {
      int home = slot(slots[j], mask);
      // Move slots[j] into the hole at i unless its home lies cyclically in (i, j].
      boolean homeBetween = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (!homeBetween) {
        slots[i] = slots[j];
        slots[j] = 0;
        i = j;
      }
    }
    return true;
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    size = 0;
    for (long s : old) {
      if (s != 0) {
        add(s);
      }
    }
  }

  private static int slot(long k, int mask) {
    return (int) (k ^ (k >>> 32)) & mask;
  }
}

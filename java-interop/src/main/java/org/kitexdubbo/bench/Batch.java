package org.kitexdubbo.bench;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/** The large shape: 500 items. */
public class Batch implements Serializable {
    public List<Item> items;

    @Override public boolean equals(Object o) { return o instanceof Batch b && Objects.equals(items, b.items); }
    @Override public int hashCode() { return Objects.hashCode(items); }
}

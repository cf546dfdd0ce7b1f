package org.kitexdubbo.bench;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

public class Item implements Serializable {
    public String sku;
    public int qty;
    public Money price;
    public List<String> tags;
    public Map<String, Integer> attrs;

    @Override public boolean equals(Object o) {
        return o instanceof Item i && Objects.equals(sku, i.sku) && qty == i.qty && Objects.equals(price, i.price)
                && Objects.equals(tags, i.tags) && Objects.equals(attrs, i.attrs);
    }
    @Override public int hashCode() { return Objects.hash(sku, qty, price, tags, attrs); }
}

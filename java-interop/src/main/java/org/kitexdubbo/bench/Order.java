package org.kitexdubbo.bench;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The medium shape, the one the end-to-end rows echo. */
public class Order implements Serializable {
    public long id;
    public String customer;
    public List<Item> items;
    public Map<String, String> notes;
    public Money total;
    public boolean paid;
    public double weight;

    @Override public boolean equals(Object o) {
        return o instanceof Order r && id == r.id && Objects.equals(customer, r.customer) && Objects.equals(items, r.items)
                && Objects.equals(notes, r.notes) && Objects.equals(total, r.total) && paid == r.paid && weight == r.weight;
    }
    @Override public int hashCode() { return Objects.hash(id, customer, items, notes, total, paid, weight); }
}

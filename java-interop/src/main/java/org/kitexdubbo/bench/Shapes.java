package org.kitexdubbo.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The values of tests/bench/shapes.go, built the same way. */
public final class Shapes {
    private Shapes() {}

    public static Order order() {
        Order o = new Order();
        o.id = 20261201;
        o.customer = "customer-0042";
        o.notes = new HashMap<>(Map.of("gift", "yes", "channel", "web"));
        o.total = new Money(123456, "EUR");
        o.paid = true;
        o.weight = 12.5;
        o.items = new ArrayList<>();
        for (int i = 0; i < 10; i++) o.items.add(item(i));
        return o;
    }

    static Item item(int i) {
        Item it = new Item();
        it.sku = String.format("SKU-%06d", i);
        it.qty = i % 7 + 1;
        it.price = new Money(1999 + i, "EUR");
        it.tags = new ArrayList<>(List.of("red", "large"));
        it.attrs = new HashMap<>(Map.of("w", i, "h", 3));
        return it;
    }
}

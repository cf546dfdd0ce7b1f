package org.kitexdubbo.bench;

import java.io.Serializable;
import java.util.Objects;

public class Money implements Serializable {
    public long cents;
    public String currency;

    public Money() {}
    public Money(long cents, String currency) { this.cents = cents; this.currency = currency; }

    @Override public boolean equals(Object o) {
        return o instanceof Money m && cents == m.cents && Objects.equals(currency, m.currency);
    }
    @Override public int hashCode() { return Objects.hash(cents, currency); }
}

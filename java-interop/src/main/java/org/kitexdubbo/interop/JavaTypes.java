package org.kitexdubbo.interop;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Date;
import java.util.List;

/** The Java types Thrift cannot say, reached through java.thrift. */
public class JavaTypes implements Serializable {
    public Object obj;
    public Date date;
    public BigDecimal decimal;
    public BigInteger bigInt;
    public LocalDateTime localDateTime;
    public LocalDate localDate;
    public Instant instant;
    public List<Object> objects;

    @Override public boolean equals(Object o) { return Deep.equals(this, o); }
    @Override public int hashCode() { return Deep.hash(this); }
    @Override public String toString() { return Deep.show(this); }
}

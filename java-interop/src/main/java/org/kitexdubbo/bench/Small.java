package org.kitexdubbo.bench;

import java.io.Serializable;
import java.util.Objects;

/** The small shape of tests/bench/idl/shapes.thrift: scalars and a short string. */
public class Small implements Serializable {
    public long id;
    public int count;
    public double ratio;
    public boolean active;
    public String name;
    public short kind;

    @Override public boolean equals(Object o) {
        return o instanceof Small s && id == s.id && count == s.count && ratio == s.ratio && active == s.active
                && Objects.equals(name, s.name) && kind == s.kind;
    }
    @Override public int hashCode() { return Objects.hash(id, count, ratio, active, name, kind); }
}

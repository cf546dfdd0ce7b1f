package org.kitexdubbo.interop;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** Optional IDL fields: boxed, null when unset. */
public class Optionals implements Serializable {
    public Boolean flag;
    public Integer i;
    public Long l;
    public Double d;
    public String s;
    public byte[] bin;
    public Basic basic;
    public List<Integer> ints;
    public Map<String, String> m;
    public Status status;

    @Override public boolean equals(Object o) { return Deep.equals(this, o); }
    @Override public int hashCode() { return Deep.hash(this); }
    @Override public String toString() { return Deep.show(this); }
}

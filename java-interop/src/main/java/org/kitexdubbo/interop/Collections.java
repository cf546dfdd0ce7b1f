package org.kitexdubbo.interop;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Lists, sets and maps of each kind of element. */
public class Collections implements Serializable {
    public List<Boolean> bools;
    public List<Short> shorts;
    public List<Integer> ints;
    public List<Long> longs;
    public List<Double> doubles;
    public List<String> strings;
    public List<byte[]> bins;
    public Set<Integer> intSet;
    public Set<String> strSet;
    public Map<String, Integer> strInt;
    public Map<Long, String> longStr;
    public Map<String, Basic> byName;
    public List<Basic> basics;
    public List<List<Integer>> nested;
    public Map<String, List<String>> multi;

    @Override public boolean equals(Object o) { return Deep.equals(this, o); }
    @Override public int hashCode() { return Deep.hash(this); }
    @Override public String toString() { return Deep.show(this); }
}

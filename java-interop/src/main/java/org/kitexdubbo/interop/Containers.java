package org.kitexdubbo.interop;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The element kinds Collections leaves out: bytes, sets and map values of the other base types. */
public class Containers implements Serializable {
    public List<Byte> bytes;
    public Set<Boolean> boolSet;
    public Set<Byte> byteSet;
    public Set<Short> shortSet;
    public Set<Long> longSet;
    public Set<Double> doubleSet;
    public Map<String, Boolean> strBool;
    public Map<String, Byte> strByte;
    public Map<String, Short> strShort;
    public Map<String, Long> strLong;
    public Map<String, Double> strDouble;
    public Map<String, byte[]> strBin;
    public Map<Integer, String> intStr;
    public Map<Short, Double> shortDouble;

    @Override public boolean equals(Object o) { return Deep.equals(this, o); }
    @Override public int hashCode() { return Deep.hash(this); }
    @Override public String toString() { return Deep.show(this); }
}

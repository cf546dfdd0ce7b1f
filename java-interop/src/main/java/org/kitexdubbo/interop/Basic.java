package org.kitexdubbo.interop;

import java.io.Serializable;

/** Every Thrift base type as its default Java type. */
public class Basic implements Serializable {
    public boolean flag;
    public byte b;
    public short s;
    public int i;
    public long l;
    public double d;
    public String str;
    public byte[] bin;

    public Basic() {}

    /** The same values the Go cases build with sampleBasic(i), so both sides compare equal. */
    public static Basic sample(int i) {
        Basic v = new Basic();
        v.flag = i % 2 == 0;
        v.b = (byte) i;
        v.s = (short) (-300 * i);
        v.i = 70000 * i;
        v.l = Long.MAX_VALUE - i;
        v.d = 3.25 * i;
        v.str = "basic-" + i + " héllo 世界 😀";
        v.bin = new byte[] {0, (byte) i, (byte) 0xff};
        return v;
    }

    @Override public boolean equals(Object o) { return Deep.equals(this, o); }
    @Override public int hashCode() { return Deep.hash(this); }
    @Override public String toString() { return Deep.show(this); }
}

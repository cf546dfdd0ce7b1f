package org.kitexdubbo.interop;

import java.io.Serializable;
import java.util.List;

/** A recursive POJO; shared subtrees travel as Hessian back-references. */
public class Tree implements Serializable {
    public String name;
    public Tree left;
    public Tree right;
    public Status status;
    /** enum Level has no Java class in the IDL, so it is its number. */
    public int level;
    public List<Tree> children;

    @Override public boolean equals(Object o) { return Deep.equals(this, o); }
    @Override public int hashCode() { return Deep.hash(this); }
    @Override public String toString() { return Deep.show(this); }
}

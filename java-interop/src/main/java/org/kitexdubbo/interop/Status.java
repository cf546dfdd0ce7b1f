package org.kitexdubbo.interop;

/** Mirrors enum Status (JavaClassName) of tests/idl/interop.thrift. */
public enum Status {
    ACTIVE, SUSPENDED
}

package org.kitexdubbo.bench;

/** The Java side of tests/bench/idl/shapes.thrift's BenchService: each shape echoed. */
public interface BenchService {
    Small echoSmall(Small v);

    Order echoOrder(Order v);

    Batch echoBatch(Batch v);
}

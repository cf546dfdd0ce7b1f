package org.kitexdubbo.bench;

public class BenchServiceImpl implements BenchService {
    @Override public Small echoSmall(Small v) { return v; }
    @Override public Order echoOrder(Order v) { return v; }
    @Override public Batch echoBatch(Batch v) { return v; }
}

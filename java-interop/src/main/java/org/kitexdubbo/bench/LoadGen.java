package org.kitexdubbo.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;

/**
 * A Dubbo-Java consumer as a load generator: calls BenchService.echoOrder (the
 * medium shape) at an address from N threads for T seconds and prints what it
 * measured. tests/bench's BenchmarkJava drives it.
 *
 * <pre>java -cp ... org.kitexdubbo.bench.LoadGen -addr [::1]:20880 [-warm 30] [-threads N -seconds T]</pre>
 *
 * It first calls from 16 threads for -warm seconds (a JVM, this one and a Java
 * provider's, needs 20-25 s on 2 cores to reach steady state), then prints
 * "READY 0". With -threads it runs once and exits; otherwise it reads commands
 * from standard input, one a line, until "quit" or the end of input:
 *
 * <pre>run &lt;threads&gt; &lt;seconds&gt;</pre>
 *
 * Each run prints one line:
 *
 * <pre>RESULT threads=16 seconds=10.001 calls=123456 errors=0 qps=12344.4 p50_us=1100 p99_us=4100 cpu_us_per_call=61.3 jmx_cpu_us_per_call=61.2</pre>
 *
 * cpu_us_per_call is this process's user and system time (/proc/self/stat,
 * every thread: callers, Netty, GC, JIT) over the calls; jmx_cpu_us_per_call
 * the same from the OperatingSystemMXBean.
 */
public final class LoadGen {
    private static final AtomicReference<Throwable> firstError = new AtomicReference<>();

    public static void main(String[] args) throws Exception {
        String addr = null;
        int warm = 30, threads = 0, seconds = 10;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "-addr" -> addr = args[i + 1];
                case "-warm" -> warm = Integer.parseInt(args[i + 1]);
                case "-threads" -> threads = Integer.parseInt(args[i + 1]);
                case "-seconds" -> seconds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        if (addr == null) throw new IllegalArgumentException("-addr host:port is required");

        ApplicationConfig app = new ApplicationConfig("kitexdubbo-bench-loadgen");
        app.setQosEnable(false);
        // Dubbo 3.2+ prefers fastjson2 when it can choose; Kitex speaks hessian2.
        Map<String, String> params = new HashMap<>(Map.of("serialization", "hessian2", "prefer.serialization", "hessian2"));
        ReferenceConfig<BenchService> ref = new ReferenceConfig<>();
        ref.setInterface(BenchService.class);
        ref.setUrl("dubbo://" + addr + "?serialization=hessian2");
        ref.setParameters(params);
        ref.setTimeout(10_000);
        ref.setRetries(0);
        DubboBootstrap boot = DubboBootstrap.getInstance().application(app).reference(ref);
        boot.start();
        BenchService svc = ref.get();

        Order order = Shapes.order();
        Order back = svc.echoOrder(order);
        if (!order.equals(back)) throw new IllegalStateException("the echo differs from the order sent");
        if (warm > 0) run(svc, order, 16, warm);
        System.out.println("READY 0");
        System.out.flush();

        if (threads > 0) {
            System.out.println(run(svc, order, threads, seconds));
        } else {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            for (String line; (line = in.readLine()) != null; ) {
                String[] f = line.trim().split("\\s+");
                if (f[0].equals("quit")) break;
                if (f[0].equals("run") && f.length == 3) {
                    System.out.println(run(svc, order, Integer.parseInt(f[1]), Integer.parseInt(f[2])));
                } else if (!f[0].isEmpty()) {
                    System.out.println("ERROR unknown command: " + line);
                }
                System.out.flush();
            }
        }
        System.out.flush();
        boot.stop();
        System.exit(0);
    }

    /** Calls from n threads for the given seconds and says what it measured. */
    static String run(BenchService svc, Order order, int n, int seconds) throws Exception {
        long[][] lat = new long[n][];
        int[] counts = new int[n];
        AtomicLong errors = new AtomicLong();
        Thread[] ts = new Thread[n];
        long cpu0 = procCpuNanos(), jmx0 = jmxCpuNanos();
        long start = System.nanoTime(), end = start + seconds * 1_000_000_000L;
        for (int t = 0; t < n; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                long[] l = new long[1 << 14];
                int c = 0;
                for (long now = System.nanoTime(); now < end; ) {
                    try {
                        svc.echoOrder(order);
                    } catch (Throwable e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e);
                    }
                    long after = System.nanoTime();
                    if (c == l.length) l = Arrays.copyOf(l, c * 2);
                    l[c++] = after - now;
                    now = after;
                }
                lat[id] = l;
                counts[id] = c;
            }, "loadgen-" + t);
            ts[t].start();
        }
        for (Thread t : ts) t.join();
        long elapsed = System.nanoTime() - start;
        long cpu = procCpuNanos() - cpu0, jmx = jmxCpuNanos() - jmx0;

        int total = 0;
        for (int c : counts) total += c;
        long[] all = new long[total];
        int k = 0;
        for (int t = 0; t < n; t++) {
            System.arraycopy(lat[t], 0, all, k, counts[t]);
            k += counts[t];
        }
        Arrays.sort(all);
        Throwable e = firstError.getAndSet(null);
        if (e != null) System.err.println("first error: " + e);
        double secs = elapsed / 1e9, calls = Math.max(total, 1);
        return String.format("RESULT threads=%d seconds=%.3f calls=%d errors=%d qps=%.1f p50_us=%d p99_us=%d cpu_us_per_call=%.2f jmx_cpu_us_per_call=%.2f",
                n, secs, total, errors.get(), total / secs,
                total == 0 ? 0 : all[total / 2] / 1000, total == 0 ? 0 : all[(int) ((long) total * 99 / 100)] / 1000,
                cpu / 1000.0 / calls, jmx / 1000.0 / calls);
    }

    /** User plus system time of the whole process from /proc/self/stat (fields 14 and 15, in 1/100 s). */
    static long procCpuNanos() throws IOException {
        String s = Files.readString(Path.of("/proc/self/stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    }

    static long jmxCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}

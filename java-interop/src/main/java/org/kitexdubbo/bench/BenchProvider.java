package org.kitexdubbo.bench;

import java.util.concurrent.CountDownLatch;

import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ProtocolConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.ServiceConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;

/**
 * Serves BenchService over the dubbo protocol with Dubbo's defaults (a fixed
 * pool of 200 threads, Netty 4), for the benchmarks' Java rows.
 *
 * <pre>java -cp ... org.kitexdubbo.bench.BenchProvider -port 20880 [-host ::1]</pre>
 *
 * The default host is ::1, as for org.kitexdubbo.interop.Provider: Dubbo takes
 * any 127.x host for "none given". Prints "READY &lt;port&gt;" once the port
 * accepts calls and runs until killed.
 */
public final class BenchProvider {
    public static void main(String[] args) throws Exception {
        int port = 20880;
        String host = "::1";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "-port" -> port = Integer.parseInt(args[i + 1]);
                case "-host" -> host = args[i + 1];
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        ApplicationConfig app = new ApplicationConfig("kitexdubbo-bench-provider");
        app.setQosEnable(false);
        ProtocolConfig protocol = new ProtocolConfig("dubbo", port);
        protocol.setHost(host);
        ServiceConfig<BenchService> service = new ServiceConfig<>();
        service.setInterface(BenchService.class);
        service.setRef(new BenchServiceImpl());
        DubboBootstrap.getInstance()
                .application(app)
                .registry(new RegistryConfig("N/A"))
                .protocol(protocol)
                .service(service)
                .start();
        System.out.println("READY " + port);
        System.out.flush();
        new CountDownLatch(1).await();
    }
}

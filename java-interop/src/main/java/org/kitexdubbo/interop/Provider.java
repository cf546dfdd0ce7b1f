package org.kitexdubbo.interop;

import java.util.concurrent.CountDownLatch;

import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ProtocolConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.ServiceConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;

/**
 * Serves InteropService over the dubbo protocol on the IPv6 loopback, plain
 * and as version 2.0.0 in group "gray".
 *
 * <pre>java -cp ... org.kitexdubbo.interop.Provider -port 20880 [-host 0.0.0.0] [-registry zookeeper://127.0.0.1:2181] [-heartbeat ms]
 *     [-app name] [-register-mode all|interface|instance] [-metadata-type local|remote]</pre>
 *
 * The default host is ::1 because Dubbo takes any 127.x host for "none
 * given": it then binds every interface and registers the machine's address.
 * With -registry the provider registers there in Dubbo's default mode, both
 * interface-level and application-level entries, unless -register-mode
 * says otherwise; -metadata-type remote puts the application's metadata in
 * the registry (as its metadata report) instead of serving it.
 *
 * Prints "READY &lt;port&gt;" once the port accepts calls (and the service is
 * registered) and runs until killed.
 */
public final class Provider {
    public static void main(String[] args) throws Exception {
        int port = 20880;
        String host = "::1";
        String registry = "N/A";
        Integer heartbeat = null;
        String appName = "kitexdubbo-interop-provider", registerMode = null, metadataType = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "-port" -> port = Integer.parseInt(args[i + 1]);
                case "-host" -> host = args[i + 1];
                case "-registry" -> registry = args[i + 1];
                case "-heartbeat" -> heartbeat = Integer.parseInt(args[i + 1]);
                case "-app" -> appName = args[i + 1];
                case "-register-mode" -> registerMode = args[i + 1];
                case "-metadata-type" -> metadataType = args[i + 1];
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        ApplicationConfig app = new ApplicationConfig(appName);
        app.setQosEnable(false);
        if (registerMode != null) app.setRegisterMode(registerMode);
        if (metadataType != null) app.setMetadataType(metadataType);
        ProtocolConfig protocol = new ProtocolConfig("dubbo", port);
        protocol.setHost(host);
        // Dubbo closes a connection idle for three heartbeat intervals.
        if (heartbeat != null) protocol.setHeartbeat(heartbeat);
        ServiceConfig<InteropService> service = new ServiceConfig<>();
        service.setInterface(InteropService.class);
        service.setRef(new InteropServiceImpl());
        // The interface once more as version 2.0.0 in group "gray", for the
        // version and group cases; its echoString says which export answered.
        ServiceConfig<InteropService> gray = new ServiceConfig<>();
        gray.setInterface(InteropService.class);
        gray.setVersion("2.0.0");
        gray.setGroup("gray");
        gray.setRef(new InteropServiceImpl() {
            @Override
            public String echoString(String v) {
                return "gray 2.0.0: " + v;
            }
        });
        DubboBootstrap.getInstance()
                .application(app)
                .registry(new RegistryConfig(registry))
                .protocol(protocol)
                .service(service)
                .service(gray)
                .start();
        System.out.println("READY " + port);
        System.out.flush();
        new CountDownLatch(1).await();
    }
}

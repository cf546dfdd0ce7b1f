package org.kitexdubbo.interop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.MethodConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.rpc.service.GenericService;

/**
 * Runs every case against an InteropService at an address and prints one
 * line per case ("PASS name" or "FAIL name: reason"), then "N passed, M failed".
 *
 * <pre>java -cp ... org.kitexdubbo.interop.Consumer -addr 127.0.0.1:20880
 * java -cp ... org.kitexdubbo.interop.Consumer -registry zookeeper://127.0.0.1:2181 [-discovery interface|application|application_first] [-peer java]</pre>
 *
 * With -registry the provider is found through the registry: -discovery
 * interface reads only the interface-level entries, application only the
 * application-level ones (Dubbo's FORCE_INTERFACE and FORCE_APPLICATION
 * migration steps), application_first both, preferring the application
 * level (APPLICATION_FIRST, Dubbo's default, also without the flag).
 * -peer java (the default is kitex) checks a Dubbo-Java provider's error
 * messages as Java words them rather than as kitexdubbo does. -heartbeat ms
 * sets Dubbo's heartbeat interval; -idle ms adds a last case that waits that
 * long, then calls once more. -version and -group name the export to call.
 *
 * Exits 1 when a case failed. The case names are the Go suite's
 * (tests/cases.go), so the matrix lines the two directions up.
 */
public final class Consumer {
    /** One call and its check; throws when the answer is wrong. */
    interface Body {
        void run() throws Exception;
    }

    record Case(String name, Body body) {}

    /** A reference with what the typed and the generic one share: no retries, a 10s timeout. */
    static <T> ReferenceConfig<T> reference(String url, Map<String, String> params, String version, String group) {
        ReferenceConfig<T> r = new ReferenceConfig<>();
        r.setUrl(url);
        r.setTimeout(10_000);
        r.setRetries(0);
        r.setParameters(params);
        r.setVersion(version);
        r.setGroup(group);
        return r;
    }

    public static void main(String[] args) {
        String addr = null, registry = null, discovery = null, peer = "kitex", heartbeat = null, version = null, group = null;
        long idle = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "-addr" -> addr = args[i + 1];
                case "-registry" -> registry = args[i + 1];
                case "-discovery" -> discovery = args[i + 1];
                case "-peer" -> peer = args[i + 1];
                case "-heartbeat" -> heartbeat = args[i + 1];
                case "-idle" -> idle = Long.parseLong(args[i + 1]);
                case "-version" -> version = args[i + 1];
                case "-group" -> group = args[i + 1];
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        if ((addr == null) == (registry == null)) {
            throw new IllegalArgumentException("give one of -addr host:port and -registry url");
        }
        // Dubbo 3.2+ prefers fastjson2 when it can choose; Kitex speaks hessian2.
        Map<String, String> params = new HashMap<>(Map.of("serialization", "hessian2", "prefer.serialization", "hessian2"));
        if (discovery != null) {
            params.put("migration.step", switch (discovery) {
                case "interface" -> "FORCE_INTERFACE";
                case "application" -> "FORCE_APPLICATION";
                case "application_first" -> "APPLICATION_FIRST";
                default -> throw new IllegalArgumentException("-discovery is interface, application or application_first, not " + discovery);
            });
        }
        // The heartbeat interval in ms; unanswered for three of them, the consumer reconnects.
        if (heartbeat != null) params.put("heartbeat", heartbeat);
        String url = addr == null ? null : "dubbo://" + addr + "?serialization=hessian2";

        ApplicationConfig app = new ApplicationConfig("kitexdubbo-interop-consumer");
        app.setQosEnable(false);

        ReferenceConfig<InteropService> ref = reference(url, params, version, group);
        ref.setInterface(InteropService.class);
        MethodConfig slow = new MethodConfig();
        slow.setName("slow");
        slow.setTimeout(500);
        ref.setMethods(List.of(slow));

        ReferenceConfig<GenericService> generic = reference(url, params, version, group);
        generic.setInterface(InteropService.class.getName());
        generic.setGeneric("true");

        DubboBootstrap boot = DubboBootstrap.getInstance().application(app).reference(ref).reference(generic);
        if (registry != null) boot.registry(new RegistryConfig(registry));
        boot.start();
        int failed = 0;
        List<Case> cases = new ArrayList<>(Cases.all(ref.get()));
        cases.addAll(Cases.generic(generic.get(), peer.equals("kitex")));
        if (idle > 0) {
            InteropService s = ref.get();
            long wait = idle;
            cases.add(new Case("echoString/after idle", () -> {
                Thread.sleep(wait);
                Cases.same(s.echoString("still here"), "still here");
            }));
        }
        for (Case c : cases) {
            try {
                c.body().run();
                System.out.println("PASS " + c.name());
            } catch (Throwable e) {
                failed++;
                String why = String.valueOf(e).replace('\n', ' ');
                System.out.println("FAIL " + c.name() + ": " + (why.length() > 500 ? why.substring(0, 500) + "..." : why));
            }
        }
        System.out.println((cases.size() - failed) + " passed, " + failed + " failed");
        System.out.flush();
        boot.stop();
        System.exit(failed == 0 ? 0 : 1);
    }
}

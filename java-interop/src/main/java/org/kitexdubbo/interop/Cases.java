package org.kitexdubbo.interop;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.apache.dubbo.rpc.RpcContext;
import org.apache.dubbo.rpc.RpcException;
import org.apache.dubbo.rpc.service.GenericService;

/** The Java consumer's cases: the Go suite's (tests/cases.go) with the same values and names. */
final class Cases {
    private Cases() {}

    static void same(Object got, Object want) {
        if (!Deep.equals(got, want)) {
            throw new AssertionError("got " + Deep.show(got) + ", want " + Deep.show(want));
        }
    }

    static <T> Consumer.Case echo(String name, T v, java.util.function.Function<T, T> call) {
        return new Consumer.Case(name, () -> same(call.apply(v), v));
    }

    static Consumer.Case expect(String name, Supplier<Object> call, Object want) {
        return new Consumer.Case(name, () -> same(call.get(), want));
    }

    /**
     * A call that must fail with an exception whose message holds each of
     * the given words; the next case's call on the same connection must then
     * still work. Dubbo's own wrapper names the method whatever the provider
     * said, so the words that test a provider are the ones of its cause.
     */
    static Consumer.Case fails(String name, Supplier<Object> call, String... words) {
        return new Consumer.Case(name, () -> {
            Object got;
            try {
                got = call.get();
            } catch (RuntimeException e) {
                String msg = String.valueOf(e.getMessage());
                for (String w : words) {
                    if (!msg.contains(w)) throw new AssertionError("the error does not name " + w + ": " + msg);
                }
                return;
            }
            throw new AssertionError("no error, got " + got);
        });
    }

    @SafeVarargs
    static <T> List<T> list(T... v) {
        return new ArrayList<>(Arrays.asList(v));
    }

    @SafeVarargs
    static <T> Set<T> set(T... v) {
        return new LinkedHashSet<>(Arrays.asList(v));
    }

    static <K, V> Map<K, V> map(K k1, V v1, K k2, V v2) {
        Map<K, V> m = new HashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    static Containers sampleContainers() {
        Containers c = new Containers();
        c.bytes = list(Byte.MIN_VALUE, (byte) 0, Byte.MAX_VALUE);
        c.boolSet = set(false, true);
        c.byteSet = set((byte) -1, (byte) 7);
        c.shortSet = set(Short.MIN_VALUE, (short) 2);
        c.longSet = set(Long.MIN_VALUE, 1L << 33);
        c.doubleSet = set(-0.5, 1e300);
        c.strBool = map("t", true, "f", false);
        c.strByte = new HashMap<>(Map.of("min", Byte.MIN_VALUE));
        c.strShort = new HashMap<>(Map.of("max", Short.MAX_VALUE));
        c.strLong = new HashMap<>(Map.of("big", 1L << 62));
        c.strDouble = new HashMap<>(Map.of("pi", Math.PI));
        c.strBin = new HashMap<>(Map.of("b", new byte[] {0, (byte) 0xff}));
        c.intStr = map(-7, "neg", 1 << 20, "wide");
        c.shortDouble = new HashMap<>(Map.of((short) -2, 0.125));
        return c;
    }

    static Collections sampleCollections() {
        Collections c = new Collections();
        c.bools = list(true, false);
        c.shorts = list((short) -1, (short) 300);
        c.ints = list(0, -16, 47, 48, 262144);
        c.longs = list(0L, Long.MIN_VALUE, Long.MAX_VALUE);
        c.doubles = list(0.0, 1.0, -128.0, 12.25, Math.PI);
        c.strings = list("", "a", "z".repeat(40));
        c.bins = list(new byte[0], new byte[] {1, 2, 3});
        c.intSet = set(3, 1, 2);
        c.strSet = set("x", "y");
        c.strInt = map("one", 1, "two", 2);
        c.longStr = map(1L << 40, "big", -1L, "neg");
        c.byName = map("a", Basic.sample(1), "b", Basic.sample(2));
        c.basics = list(Basic.sample(3), Basic.sample(4));
        c.nested = list(list(1), list(), list(2, 3));
        c.multi = new HashMap<>(Map.of("k", list("v1", "v2")));
        return c;
    }

    static Tree tree(String name, Tree left, Tree right, Status status, int level, List<Tree> children) {
        Tree t = new Tree();
        t.name = name;
        t.left = left;
        t.right = right;
        t.status = status;
        t.level = level;
        t.children = children;
        return t;
    }

    static Tree sampleTree() {
        Tree leaf = tree("leaf", null, null, Status.SUSPENDED, 1, list());
        Tree right = tree("right", leaf, null, Status.ACTIVE, 2, list(leaf));
        return tree("root", leaf, right, Status.ACTIVE, 2, list(leaf, leaf));
    }

    static JavaTypes sampleJavaTypes() {
        JavaTypes j = new JavaTypes();
        j.obj = Basic.sample(5);
        j.date = new Date(1700000000123L);
        j.decimal = new BigDecimal("-12345.678900");
        j.bigInt = new BigInteger("-98765432109876543210987654321");
        j.localDateTime = LocalDateTime.of(2024, 2, 29, 13, 45, 7, 123456789);
        j.localDate = LocalDate.of(1999, 12, 31);
        j.instant = Instant.ofEpochSecond(1700000000, 999);
        j.objects = list(1, 2L, 2.5, "s", true, new byte[] {9}, null, list(7), new HashMap<>(Map.of("k", "v")));
        return j;
    }

    static List<Integer> bigList(int n) {
        List<Integer> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) l.add(i * 7919);
        return l;
    }

    static List<Consumer.Case> all(InteropService s) {
        Optionals set = new Optionals();
        set.flag = false;
        set.i = 0;
        set.l = -1L;
        set.d = 0.5;
        set.s = "";
        set.bin = new byte[0];
        set.basic = Basic.sample(8);
        set.ints = list();
        set.m = new HashMap<>();
        set.status = Status.SUSPENDED;
        Basic zero = new Basic();
        zero.str = ""; // a Thrift string that is not optional has no null
        zero.bin = new byte[0];
        Map<String, Object> untyped = new HashMap<>(Map.of("key", "k", "value", 3));

        List<Consumer.Case> cases = list(
                echo("echoBasic", Basic.sample(7), s::echoBasic),
                echo("echoBasic/zero", zero, s::echoBasic),
                echo("echoCollections", sampleCollections(), s::echoCollections),
                echo("echoCollections/empty", new Collections(), s::echoCollections),
                echo("echoContainers", sampleContainers(), s::echoContainers),
                echo("echoContainers/empty", new Containers(), s::echoContainers),
                echo("echoOptionals/unset", new Optionals(), s::echoOptionals),
                echo("echoOptionals/set", set, s::echoOptionals),
                echo("echoTree", sampleTree(), s::echoTree),
                echo("echoJavaTypes", sampleJavaTypes(), s::echoJavaTypes),
                echo("echoJavaTypes/nulls", new JavaTypes(), s::echoJavaTypes),
                echo("echoUntyped", untyped, s::echoUntyped),
                echo("echoBool", true, s::echoBool),
                echo("echoByte", Byte.MIN_VALUE, s::echoByte),
                echo("echoShort", Short.MAX_VALUE, s::echoShort),
                echo("echoInt/min", Integer.MIN_VALUE, s::echoInt),
                echo("echoInt/compact", -2048, s::echoInt),
                echo("echoLong/max", Long.MAX_VALUE, s::echoLong),
                echo("echoLong/int32", (long) Integer.MAX_VALUE, s::echoLong),
                echo("echoDouble", -0.1, s::echoDouble),
                echo("echoDouble/inf", Double.POSITIVE_INFINITY, s::echoDouble),
                expect("echoFloat", () -> s.echoFloat(1.5f), 1.5),
                echo("echoString/unicode", "héllo 世界 😀 \u0000 end", s::echoString),
                echo("echoString/empty", "", s::echoString),
                echo("echoString/1MiB", "0123456789abcdef".repeat(1 << 16), s::echoString),
                echo("echoBinary", new byte[] {0, 1, 2, (byte) 0xfe, (byte) 0xff}, s::echoBinary),
                echo("echoBinary/nil", (byte[]) null, s::echoBinary),
                echo("echoStatus", Status.SUSPENDED, s::echoStatus),
                echo("echoLevel", 2L, s::echoLevel),
                echo("echoIntList", list(1, -1, 1 << 30), s::echoIntList),
                echo("echoIntList/100k", bigList(100000), s::echoIntList),
                echo("echoStringSet", set("a", "b"), s::echoStringSet),
                echo("echoBasicMap", new HashMap<>(Map.of("x", Basic.sample(9))), s::echoBasicMap),
                echo("echoBasicList", list(Basic.sample(10), Basic.sample(11)), s::echoBasicList),
                echo("echoDate", new Date(-1), s::echoDate),
                echo("echoDecimal", new BigDecimal("3.14159265358979323846264338327950288"), s::echoDecimal),
                echo("echoBigInteger", BigInteger.valueOf(3).shiftLeft(100), s::echoBigInteger),
                echo("echoBigInteger/negative", BigInteger.valueOf(-1), s::echoBigInteger),
                echo("echoLocalDateTime", LocalDateTime.of(2030, 1, 2, 3, 4, 5, 6000), s::echoLocalDateTime),
                echo("echoLocalDate", LocalDate.of(1970, 1, 1), s::echoLocalDate),
                echo("echoInstant", Instant.ofEpochSecond(-1, 5), s::echoInstant),
                echo("echoLongList", list(Long.MIN_VALUE, -1L, 0L, 1L << 33), s::echoLongList),
                echo("echoBoxedInt(Integer)", 123456, s::echoBoxedInt),
                echo("echoInt/max", Integer.MAX_VALUE, s::echoInt),
                echo("echoLong/min", Long.MIN_VALUE, s::echoLong),
                echo("echoIntList/empty", list(), s::echoIntList),
                echo("echoBasicList/empty", list(), s::echoBasicList),
                expect("sumFloats(float[])", () -> s.sumFloats(new float[] {0.5f, 0.25f, 2f}), 2.75),
                expect("sumShorts(short[])", () -> s.sumShorts(new short[] {-300, 32767, 1}), 32468),
                expect("primitives(boolean,byte,short,int,long,double)", () -> s.primitives(true, (byte) -1, (short) 2, 3, 4L, 5.5),
                        "boolean true, byte -1, short 2, int 3, long 4, double 5.5"),
                expect("sumPrimitive(int,long,int[])", () -> s.sumPrimitive(1, 1L << 40, new int[] {2, 3}), (1L << 40) + 6),
                expect("average(double[])", () -> s.average(new double[] {1, 2, 4.5}), 2.5),
                expect("countMap(HashMap)", () -> s.countMap(new HashMap<>(Map.of("a", 1, "b", 41))), 42),
                expect("countSet(Set)", () -> s.countSet(set("a", "b", "c")), 3),
                expect("overload(String)", () -> s.overload("s"), "overload(String s)"),
                expect("overload(int)", () -> s.overload(5), "overload(int 5)"),
                expect("overload(String,int)", () -> s.overload("s", 6), "overload(String s, int 6)"),
                new Consumer.Case("nothing(void)", s::nothing),
                new Consumer.Case("throwBiz(IDL exception)", () -> {
                    try {
                        s.throwBiz("E42");
                    } catch (BizException e) {
                        same(e.code, "E42");
                        same(e.detail, 3);
                        // The Java provider's message, or a Kitex one's: the class name (the IDL has
                        // no message field), never Go's printing of the struct.
                        String m = String.valueOf(e.getMessage());
                        if (!m.equals("biz E42") && !m.equals(BizException.class.getName())) {
                            throw new AssertionError("detailMessage " + m);
                        }
                        return;
                    }
                    throw new AssertionError("no BizException");
                }),
                new Consumer.Case("throwRuntime(Java exception)", () -> {
                    try {
                        s.throwRuntime("it broke");
                    } catch (RuntimeException e) {
                        if (e instanceof RpcException || !String.valueOf(e.getMessage()).contains("it broke")) {
                            throw new AssertionError("want the handler's error as a RuntimeException, got " + e);
                        }
                        return;
                    }
                    throw new AssertionError("no exception");
                }),
                new Consumer.Case("slow(timeout)", () -> {
                    try {
                        s.slow(2000);
                        throw new AssertionError("no timeout");
                    } catch (RpcException e) {
                        if (!e.isTimeout()) throw new AssertionError("want a timeout, got " + e);
                    }
                    same(s.slow(10), "slept 10ms");
                }),
                // Calls in flight together on the one shared connection, slow
                // ones among them: each answer must reach its own caller.
                new Consumer.Case("concurrent(64 calls)", () -> {
                    ExecutorService pool = Executors.newFixedThreadPool(16);
                    try {
                        List<Future<String>> got = new ArrayList<>();
                        for (int i = 0; i < 64; i++) {
                            int n = i;
                            got.add(pool.submit(() -> n % 4 == 0 ? s.slow(30) : s.echoString("c-" + n)));
                        }
                        for (int i = 0; i < 64; i++) same(got.get(i).get(), i % 4 == 0 ? "slept 30ms" : "c-" + i);
                    } finally {
                        pool.shutdownNow();
                    }
                }),
                new Consumer.Case("echoAttachments", () -> {
                    RpcContext.getClientAttachment().setAttachment("tenant", "acme");
                    RpcContext.getClientAttachment().setAttachment("trace", "t-1");
                    Map<String, String> got = s.echoAttachments(list("tenant", "trace", "absent"));
                    same(got, map("tenant", "acme", "trace", "t-1"));
                    same(RpcContext.getClientResponseContext().getAttachment("echo-tenant"), "acme");
                }),
                new Consumer.Case("echoAttachments(tag)", () -> {
                    RpcContext.getClientAttachment().setAttachment("dubbo.tag", "gray");
                    same(s.echoAttachments(list("tag:dubbo.tag", "dubbo.tag")), map("tag:dubbo.tag", "gray", "dubbo.tag", "gray"));
                }));
        Map<String, Object> objects = new LinkedHashMap<>();
        objects.put("Integer", -5);
        objects.put("Long", 1L << 50);
        objects.put("Double", 0.25);
        objects.put("String", "str");
        objects.put("Boolean", false);
        objects.put("byte[]", new byte[] {1});
        objects.put("Basic", Basic.sample(12));
        objects.put("List", list("a", 1));
        objects.put("null", null);
        objects.put("Map", new HashMap<>(Map.of("k", 1)));
        objects.forEach((name, v) -> cases.add(echo("echoObject(" + name + ")", v, s::echoObject)));
        cases.addAll(jdkTypes(s));
        return cases;
    }

    /** A call whose answer must be the value sent, class for class (Strict). */
    static <T> Consumer.Case strict(String name, T v, java.util.function.Function<T, T> call) {
        return new Consumer.Case(name, () -> Strict.same(call.apply(v), v));
    }

    /** The JDK types (tests/cases.go's jdkTypeCases, the same names and values). */
    static List<Consumer.Case> jdkTypes(InteropService s) {
        List<Consumer.Case> cases = list(
                strict("echoJdkTypes", JdkTypes.sample(), s::echoJdkTypes),
                strict("echoJdkTypes/nulls", JdkTypes.nulls(), s::echoJdkTypes),
                strict("echoJdkTypes/edges", JdkTypes.edges(), s::echoJdkTypes),
                strict("echoTimestamp", new Timestamp(1700000000123L), s::echoTimestamp),
                strict("echoUUID", UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"), s::echoUUID),
                strict("echoDuration", Duration.ofSeconds(-90061, 5), s::echoDuration),
                strict("echoZonedDateTime", ZonedDateTime.ofLocal(LocalDateTime.of(2024, 11, 3, 1, 30),
                        ZoneId.of("America/New_York"), ZoneOffset.ofHours(-5)), s::echoZonedDateTime),
                strict("echoStatuses", EnumSet.of(Status.SUSPENDED), s::echoStatuses),
                strict("echoStatuses/empty", EnumSet.noneOf(Status.class), s::echoStatuses),
                strict("echoChar(char)", '€', s::echoChar),
                strict("echoCharacter", 'é', s::echoCharacter),
                strict("echoChars(char[])", "héllo".toCharArray(), s::echoChars),
                strict("echoBoxedInts(Integer[])", new Integer[] {1, -2, 1 << 20}, s::echoBoxedInts),
                strict("echoBoxedLongs(Long[])", new Long[] {Long.MAX_VALUE, -1L}, s::echoBoxedLongs),
                strict("echoTreeMap(TreeMap)", new TreeMap<>(Map.of("b", 2, "a", 1)), s::echoTreeMap),
                strict("echoLinkedHashMap(LinkedHashMap)", JdkTypes.<String, Integer>ordered("z", 1, "a", 2, "m", 3), s::echoLinkedHashMap),
                strict("echoConcurrentMap(ConcurrentHashMap)", new ConcurrentHashMap<>(Map.of("k", 1)), s::echoConcurrentMap),
                strict("echoLinkedList(LinkedList)", new LinkedList<>(List.of("x", "y")), s::echoLinkedList),
                // A java.sql.Timestamp where a java.util.Date is declared: Java
                // writes the Timestamp's class; the Kitex server reads it as the Date.
                expect("echoDate(Timestamp)", () -> s.echoDate(new Timestamp(1700000000123L)).getTime(), 1700000000123L));
        JdkTypes.objects().forEach((name, v) -> cases.add(strict("echoObject(" + name + ")", v, s::echoObject)));
        return cases;
    }

    /** Generic invocation ($invoke): POJOs travel as maps with a "class" entry. */
    static List<Consumer.Case> generic(GenericService g, boolean kitex) {
        Map<String, Object> basic = new HashMap<>();
        basic.put("class", Basic.class.getName());
        basic.put("flag", true);
        basic.put("b", (byte) 1);
        basic.put("s", (short) 2);
        basic.put("i", 3);
        basic.put("l", 4L);
        basic.put("d", 5.5);
        basic.put("str", "six");
        basic.put("bin", new byte[] {7});
        // Hessian has no byte or short: an untyped map gives them back as Integer.
        Map<String, Object> basicBack = new HashMap<>(basic);
        basicBack.put("b", 1);
        basicBack.put("s", 2);
        String[] str = {"java.lang.String"};
        Map<String, Object> badBasic = new HashMap<>(basic);
        badBasic.put("i", "three");
        return list(
                expect("$invoke echoString", () -> g.$invoke("echoString", str, new Object[] {"generic"}), "generic"),
                expect("$invoke echoInt", () -> g.$invoke("echoInt", new String[] {"java.lang.Integer"}, new Object[] {42}), 42),
                expect("$invoke echoBasic(map)", () -> g.$invoke("echoBasic", new String[] {Basic.class.getName()},
                        new Object[] {basic}), basicBack),
                expect("$invoke echoIntList", () -> g.$invoke("echoIntList", new String[] {"java.util.List"},
                        new Object[] {list(1, 2, 3)}), list(1, 2, 3)),
                expect("$invoke overload(int)", () -> g.$invoke("overload", new String[] {"int"}, new Object[] {9}),
                        "overload(int 9)"),
                expect("$invoke overload(String,int)", () -> g.$invoke("overload",
                        new String[] {"java.lang.String", "int"}, new Object[] {"g", 1}), "overload(String g, int 1)"),
                expect("$invoke sumPrimitive", () -> g.$invoke("sumPrimitive", new String[] {"int", "long", "int[]"},
                        new Object[] {1, 2L, new int[] {3}}), 6L),
                // A Kitex provider's errors name the method, the argument's Java class and the field.
                fails("$invoke echoBasic(bad field)", () -> g.$invoke("echoBasic", new String[] {Basic.class.getName()},
                        new Object[] {badBasic}), kitex
                        ? new String[] {"InteropService.echoBasic: argument 1 (" + Basic.class.getName() + ")", "decode i at"}
                        : new String[] {"echoBasic"}),
                fails("$invoke unknown method", () -> g.$invoke("noSuchMethod", str, new Object[] {"x"}), kitex
                        ? new String[] {"Service not found:" + InteropService.class.getName() + ", noSuchMethod"}
                        : new String[] {"noSuchMethod"}),
                fails("$invoke wrong arity", () -> g.$invoke("echoString", new String[] {"java.lang.String", "java.lang.String"},
                        new Object[] {"a", "b"}), kitex
                        ? new String[] {"InteropService.echoString: 2 arguments for 1 parameters"}
                        : new String[] {"echoString"}),
                // JDK types pass a generic call as they are; a map keeps its class.
                expect("$invoke echoTimestamp", () -> g.$invoke("echoTimestamp", new String[] {"java.sql.Timestamp"},
                        new Object[] {new Timestamp(1700000000123L)}), new Timestamp(1700000000123L)),
                new Consumer.Case("$invoke echoObject(TreeMap)", () -> Strict.same(g.$invoke("echoObject",
                        new String[] {"java.lang.Object"}, new Object[] {new TreeMap<>(Map.of("b", 2, "a", 1))}),
                        new TreeMap<>(Map.of("b", 2, "a", 1)))));
    }
}

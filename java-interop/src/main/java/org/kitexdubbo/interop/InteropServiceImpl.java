package org.kitexdubbo.interop;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.dubbo.common.constants.CommonConstants;
import org.apache.dubbo.rpc.RpcContext;

/** The provider's implementation: the same answers as tests/handler.go gives in Go. */
public class InteropServiceImpl implements InteropService {
    public Basic echoBasic(Basic v) { return v; }
    public Collections echoCollections(Collections v) { return v; }

    public Containers echoContainers(Containers v) { return v; }
    public Optionals echoOptionals(Optionals v) { return v; }
    public Tree echoTree(Tree v) { return v; }
    public JavaTypes echoJavaTypes(JavaTypes v) { return v; }
    public Map<String, Object> echoUntyped(Map<String, Object> v) { return v; }
    public Boolean echoBool(Boolean v) { return v; }
    public Byte echoByte(Byte v) { return v; }
    public Short echoShort(Short v) { return v; }
    public Integer echoInt(Integer v) { return v; }
    public Long echoLong(Long v) { return v; }
    public Double echoDouble(Double v) { return v; }
    public String echoString(String v) { return v; }
    public byte[] echoBinary(byte[] v) { return v; }
    public Status echoStatus(Status v) { return v; }
    public Long echoLevel(Long v) { return v; }
    public List<Integer> echoIntList(List<Integer> v) { return v; }
    public Set<String> echoStringSet(Set<String> v) { return v; }
    public Map<String, Basic> echoBasicMap(Map<String, Basic> v) { return v; }
    public List<Basic> echoBasicList(List<Basic> v) { return v; }
    public Object echoObject(Object v) { return v; }
    public Date echoDate(Date v) { return v; }
    public BigDecimal echoDecimal(BigDecimal v) { return v; }
    public BigInteger echoBigInteger(BigInteger v) { return v; }
    public LocalDateTime echoLocalDateTime(LocalDateTime v) { return v; }
    public LocalDate echoLocalDate(LocalDate v) { return v; }
    public Instant echoInstant(Instant v) { return v; }
    public List<Long> echoLongList(List<Long> v) { return v; }

    public long sumPrimitive(int a, long b, int[] c) {
        long s = a + b;
        for (int x : c) s += x;
        return s;
    }

    public double average(double[] v) {
        if (v.length == 0) throw new IllegalArgumentException("average of nothing");
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    public int countMap(HashMap<String, Integer> m) {
        int s = 0;
        for (int x : m.values()) s += x;
        return s;
    }

    public double echoFloat(float v) { return v; }
    public int countSet(Set<String> v) { return v.size(); }
    public int echoBoxedInt(Integer v) { return v; }

    public double sumFloats(float[] v) {
        double s = 0;
        for (float x : v) s += x;
        return s;
    }

    public int sumShorts(short[] v) {
        int s = 0;
        for (short x : v) s += x;
        return s;
    }

    public String primitives(boolean z, byte b, short s, int i, long j, double d) {
        return "boolean " + z + ", byte " + b + ", short " + s + ", int " + i + ", long " + j + ", double " + d;
    }

    public String overload(String s) { return "overload(String " + s + ")"; }
    public String overload(int i) { return "overload(int " + i + ")"; }
    public String overload(String s, int i) { return "overload(String " + s + ", int " + i + ")"; }

    public void nothing() {}

    public void throwBiz(String code) throws BizException { throw new BizException(code, code.length()); }

    public String throwRuntime(String msg) { throw new RuntimeException(msg); }

    public JdkTypes echoJdkTypes(JdkTypes v) { return v; }
    public Timestamp echoTimestamp(Timestamp v) { return v; }
    public UUID echoUUID(UUID v) { return v; }
    public Duration echoDuration(Duration v) { return v; }
    public ZonedDateTime echoZonedDateTime(ZonedDateTime v) { return v; }
    public EnumSet<Status> echoStatuses(EnumSet<Status> v) { return v; }
    public char echoChar(char c) { return c; }
    public Character echoCharacter(Character c) { return c; }
    public char[] echoChars(char[] v) { return v; }
    public Integer[] echoBoxedInts(Integer[] v) { return v; }
    public Long[] echoBoxedLongs(Long[] v) { return v; }
    public TreeMap<String, Integer> echoTreeMap(TreeMap<String, Integer> v) { return v; }
    public LinkedHashMap<String, Integer> echoLinkedHashMap(LinkedHashMap<String, Integer> v) { return v; }
    public ConcurrentHashMap<String, Integer> echoConcurrentMap(ConcurrentHashMap<String, Integer> v) { return v; }
    public LinkedList<String> echoLinkedList(LinkedList<String> v) { return v; }

    public String slow(Integer millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "slept " + millis + "ms";
    }

    /**
     * A key "tag:K" reads attachment K, as a Kitex tag arrives as one; found
     * keys echo back as "echo-"+key. Dubbo's own keys such as dubbo.tag are
     * removed before a service sees them, so TagEchoFilter keeps a copy.
     */
    public Map<String, String> echoAttachments(List<String> keys) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : keys) {
            String name = k.startsWith("tag:") ? k.substring(4) : k;
            String v = RpcContext.getServerAttachment().getAttachment(name);
            if (v == null && name.equals(CommonConstants.TAG_KEY)) v = TagEchoFilter.tag();
            if (v == null) continue;
            out.put(k, v);
            if (!k.startsWith("tag:")) RpcContext.getServerResponseContext().setAttachment("echo-" + k, v);
        }
        return out;
    }
}

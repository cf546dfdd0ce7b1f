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

/**
 * The Java side of service InteropService in tests/idl/interop.thrift. Method
 * names are the IDL's (JavaMethodName for the overloads); parameter types are
 * the IDL's default Java types (boxed: a Thrift i32 is an Integer) or its
 * hessian.argsType annotation (int, int[], float, java.util.HashMap, ...).
 */
public interface InteropService {
    Basic echoBasic(Basic v);
    Collections echoCollections(Collections v);

    Containers echoContainers(Containers v);
    Optionals echoOptionals(Optionals v);
    Tree echoTree(Tree v);
    JavaTypes echoJavaTypes(JavaTypes v);
    /** struct Untyped has no Java class: it travels as a map. */
    Map<String, Object> echoUntyped(Map<String, Object> v);

    Boolean echoBool(Boolean v);
    Byte echoByte(Byte v);
    Short echoShort(Short v);
    Integer echoInt(Integer v);
    Long echoLong(Long v);
    Double echoDouble(Double v);
    String echoString(String v);
    byte[] echoBinary(byte[] v);
    Status echoStatus(Status v);
    /** enum Level has no Java class: it is its number, a long as Kitex's Go enums are int64. */
    Long echoLevel(Long v);
    List<Integer> echoIntList(List<Integer> v);
    Set<String> echoStringSet(Set<String> v);
    Map<String, Basic> echoBasicMap(Map<String, Basic> v);
    List<Basic> echoBasicList(List<Basic> v);
    Object echoObject(Object v);
    Date echoDate(Date v);
    BigDecimal echoDecimal(BigDecimal v);
    BigInteger echoBigInteger(BigInteger v);
    LocalDateTime echoLocalDateTime(LocalDateTime v);
    LocalDate echoLocalDate(LocalDate v);
    Instant echoInstant(Instant v);
    List<Long> echoLongList(List<Long> v);

    long sumPrimitive(int a, long b, int[] c);
    double average(double[] v);
    int countMap(HashMap<String, Integer> m);
    double echoFloat(float v);
    int countSet(Set<String> v);
    int echoBoxedInt(Integer v);
    double sumFloats(float[] v);
    int sumShorts(short[] v);
    String primitives(boolean z, byte b, short s, int i, long j, double d);

    String overload(String s);
    String overload(int i);
    String overload(String s, int i);

    void nothing();
    void throwBiz(String code) throws BizException;
    String throwRuntime(String msg) throws Exception;
    String slow(Integer millis);
    Map<String, String> echoAttachments(List<String> keys);

    // The JDK types of struct JdkTypes, as parameters and results of their own
    // class, and the collections whose class a parameter type names.
    JdkTypes echoJdkTypes(JdkTypes v);
    Timestamp echoTimestamp(Timestamp v);
    UUID echoUUID(UUID v);
    Duration echoDuration(Duration v);
    ZonedDateTime echoZonedDateTime(ZonedDateTime v);
    EnumSet<Status> echoStatuses(EnumSet<Status> v);
    char echoChar(char c);
    Character echoCharacter(Character c);
    char[] echoChars(char[] v);
    Integer[] echoBoxedInts(Integer[] v);
    Long[] echoBoxedLongs(Long[] v);
    TreeMap<String, Integer> echoTreeMap(TreeMap<String, Integer> v);
    LinkedHashMap<String, Integer> echoLinkedHashMap(LinkedHashMap<String, Integer> v);
    ConcurrentHashMap<String, Integer> echoConcurrentMap(ConcurrentHashMap<String, Integer> v);
    LinkedList<String> echoLinkedList(LinkedList<String> v);
}

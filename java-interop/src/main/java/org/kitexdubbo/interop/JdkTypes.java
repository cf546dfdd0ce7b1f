package org.kitexdubbo.interop;

import java.io.Serializable;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Calendar;
import java.util.Currency;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JDK types Dubbo-Java POJOs commonly carry, mirroring struct JdkTypes of
 * tests/idl/interop.thrift: each as a field of its own class, and each again
 * in objects, a List of Object, where only the value's class says what it is.
 * Queue and ConcurrentMap are interfaces hessian-lite cannot fill from an
 * untyped list or map: the IDL names their class with a java tag.
 */
public class JdkTypes implements Serializable {
    public Timestamp timestamp;
    public java.sql.Date sqlDate;
    public Time sqlTime;
    public UUID uuid;
    public Locale locale;
    public Currency currency;
    public Duration duration;
    public Period period;
    public Year year;
    public YearMonth yearMonth;
    public MonthDay monthDay;
    public ZoneOffset zoneOffset;
    public ZoneId zoneId;
    public ZonedDateTime zonedDateTime;
    public OffsetDateTime offsetDateTime;
    public OffsetTime offsetTime;
    public Calendar calendar;
    public EnumSet<Status> statuses;
    public BitSet bits;
    public AtomicLong atomicLong;
    public AtomicInteger atomicInteger;
    public char ch;
    public Character boxedChar;
    public char[] chars;
    public Integer[] boxedInts;
    public Long[] boxedLongs;
    public TreeMap<String, Integer> treeMap;
    public ConcurrentMap<String, Integer> concurrentMap;
    public LinkedHashMap<String, Integer> linkedMap;
    public LinkedList<String> linkedList;
    public Queue<String> queue;
    public List<Object> objects;

    @Override public boolean equals(Object o) { return Strict.equals(this, o); }
    @Override public int hashCode() { return Deep.hash(this); }
    @Override public String toString() { return Deep.show(this); }

    static Calendar calendar(long millis) {
        Calendar c = Calendar.getInstance();
        c.setTimeInMillis(millis);
        return c;
    }

    static BitSet bits(int... set) {
        BitSet b = new BitSet();
        for (int i : set) b.set(i);
        return b;
    }

    static <K, V> LinkedHashMap<K, V> ordered(Object... kv) {
        LinkedHashMap<K, V> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            @SuppressWarnings("unchecked") K k = (K) kv[i];
            @SuppressWarnings("unchecked") V v = (V) kv[i + 1];
            m.put(k, v);
        }
        return m;
    }

    /** The same values as sampleJdkTypes in tests/cases.go. */
    static JdkTypes sample() {
        JdkTypes j = new JdkTypes();
        j.timestamp = new Timestamp(1700000000123L);
        j.sqlDate = new java.sql.Date(1700000000000L);
        j.sqlTime = new Time(3723000L);
        j.uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        j.locale = Locale.US;
        j.currency = Currency.getInstance("EUR");
        j.duration = Duration.ofSeconds(90061, 123456789);
        j.period = Period.of(1, 2, 3);
        j.year = Year.of(2024);
        j.yearMonth = YearMonth.of(2024, 2);
        j.monthDay = MonthDay.of(2, 29);
        j.zoneOffset = ZoneOffset.ofHoursMinutes(5, 30);
        j.zoneId = ZoneId.of("Asia/Shanghai");
        j.zonedDateTime = ZonedDateTime.of(2024, 2, 29, 13, 45, 7, 123456789, ZoneId.of("Europe/Paris"));
        j.offsetDateTime = OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 6, ZoneOffset.ofHours(-3));
        j.offsetTime = OffsetTime.of(3, 4, 5, 6, ZoneOffset.ofHours(2));
        j.calendar = calendar(1700000000123L);
        j.statuses = EnumSet.of(Status.ACTIVE, Status.SUSPENDED);
        j.bits = bits(1, 65, 200);
        j.atomicLong = new AtomicLong(-5);
        j.atomicInteger = new AtomicInteger(7);
        j.ch = 'x';
        j.boxedChar = 'é';
        j.chars = "chars €".toCharArray();
        j.boxedInts = new Integer[] {1, -2, 300000};
        j.boxedLongs = new Long[] {Long.MIN_VALUE, 0L};
        j.treeMap = new TreeMap<>(java.util.Map.of("b", 2, "a", 1));
        j.concurrentMap = new ConcurrentHashMap<>(java.util.Map.of("k", 1));
        j.linkedMap = ordered("z", 1, "a", 2, "m", 3);
        j.linkedList = new LinkedList<>(List.of("x", "y"));
        j.queue = new LinkedList<>(List.of("first", "second"));
        // Not the Calendar: hessian-lite 4.0.4 numbers a Calendar twice when it
        // writes one (the Calendar and its CalendarHandle), so every
        // back-reference it writes after one in the same body (here: to the
        // Status class and constants the statuses field shares with the
        // EnumSet in this list) points one value too far, and Java cannot read
        // the body back itself. It goes through an Object in echoObject(Calendar).
        LinkedHashMap<String, Object> objects = objects();
        objects.remove("Calendar");
        j.objects = new ArrayList<>(objects.values());
        return j;
    }

    /** Every nullable field null; the primitive char has no null. */
    static JdkTypes nulls() {
        return new JdkTypes();
    }

    /**
     * Edge values: the epoch and before it, the extremes of Duration, nanosecond
     * precision, zones whose rules changed (Moscow's permanent +04:00 of
     * 2011-2014, São Paulo after Brazil dropped DST in 2019), the second of a
     * wall time that occurs twice (New York's 01:30 on 2024-11-03 at -05:00),
     * an offset with seconds, the empty EnumSet and BitSet, the root locale,
     * empty arrays and maps.
     */
    static JdkTypes edges() {
        JdkTypes j = new JdkTypes();
        j.timestamp = new Timestamp(-1L);
        j.sqlDate = new java.sql.Date(0L);
        j.sqlTime = new Time(0L);
        j.uuid = new UUID(0, 0);
        j.locale = Locale.ROOT;
        j.currency = Currency.getInstance("JPY");
        j.duration = Duration.ofSeconds(Long.MIN_VALUE);
        j.period = Period.of(-1, 0, -31);
        j.year = Year.of(-50);
        j.yearMonth = YearMonth.of(0, 12);
        j.monthDay = MonthDay.of(12, 31);
        j.zoneOffset = ZoneOffset.ofHoursMinutesSeconds(-5, -30, -45);
        j.zoneId = ZoneId.of("+08:00");
        j.zonedDateTime = ZonedDateTime.ofLocal(LocalDateTime.of(2024, 11, 3, 1, 30, 0, 999999999),
                ZoneId.of("America/New_York"), ZoneOffset.ofHours(-5));
        j.offsetDateTime = OffsetDateTime.of(1969, 12, 31, 23, 59, 59, 999999999, ZoneOffset.ofHours(18));
        j.offsetTime = OffsetTime.of(0, 0, 0, 0, ZoneOffset.UTC);
        j.calendar = calendar(0L);
        j.statuses = EnumSet.noneOf(Status.class);
        j.bits = new BitSet();
        j.atomicLong = new AtomicLong(Long.MIN_VALUE);
        j.atomicInteger = new AtomicInteger(Integer.MAX_VALUE);
        j.ch = '\0';
        j.boxedChar = '\uffff';
        j.chars = new char[0];
        j.boxedInts = new Integer[0];
        j.boxedLongs = new Long[0];
        j.treeMap = new TreeMap<>();
        j.concurrentMap = new ConcurrentHashMap<>();
        j.linkedMap = new LinkedHashMap<>();
        j.linkedList = new LinkedList<>();
        j.queue = new LinkedList<>();
        j.objects = new ArrayList<>(List.of(
                Duration.ofSeconds(Long.MAX_VALUE, 999999999),
                ZonedDateTime.ofLocal(LocalDateTime.of(2012, 1, 1, 12, 0), ZoneId.of("Europe/Moscow"), null),
                ZonedDateTime.ofLocal(LocalDateTime.of(2019, 11, 3, 0, 30), ZoneId.of("America/Sao_Paulo"), null),
                EnumSet.noneOf(Status.class),
                new Integer[] {1, null, 3},
                new LinkedHashMap<>(),
                new Timestamp(0L)));
        return j;
    }

    /**
     * One value of each type, as the echoObject cases send it (named by
     * class): through a java.lang.Object each must come back as the same
     * class with equal contents. Character is missing: Hessian writes it as a
     * one-character String, so through an Object it is a String, Java to Java too.
     */
    static LinkedHashMap<String, Object> objects() {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("Timestamp", new Timestamp(1700000000123L));
        m.put("SQLDate", new java.sql.Date(1700000000000L));
        m.put("SQLTime", new Time(3723000L));
        m.put("UUID", UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        m.put("Locale", Locale.CHINA);
        m.put("Currency", Currency.getInstance("USD"));
        m.put("Duration", Duration.ofMillis(-1500));
        m.put("Period", Period.ofMonths(14));
        m.put("Year", Year.of(1999));
        m.put("YearMonth", YearMonth.of(1999, 12));
        m.put("MonthDay", MonthDay.of(1, 1));
        m.put("ZoneOffset", ZoneOffset.ofHours(-8));
        m.put("ZoneId", ZoneId.of("America/New_York"));
        m.put("ZonedDateTime", ZonedDateTime.of(2030, 6, 1, 0, 0, 0, 1, ZoneId.of("Asia/Tokyo")));
        m.put("OffsetDateTime", OffsetDateTime.of(2030, 6, 1, 0, 0, 0, 1, ZoneOffset.ofHours(9)));
        m.put("OffsetTime", OffsetTime.of(23, 59, 59, 1, ZoneOffset.ofHours(-1)));
        m.put("Calendar", calendar(86400000L));
        m.put("EnumSet", EnumSet.of(Status.SUSPENDED));
        m.put("BitSet", bits(0, 63, 64));
        m.put("AtomicLong", new AtomicLong(1L << 40));
        m.put("AtomicInteger", new AtomicInteger(-1));
        m.put("Integer[]", new Integer[] {1, null, 3});
        m.put("Long[]", new Long[] {1L, 2L});
        m.put("int[]", new int[] {4, 5});
        m.put("String[]", new String[] {"a", null});
        m.put("LinkedList", new LinkedList<>(List.of("l1", "l2")));
        m.put("HashSet", new HashSet<>(List.of("only")));
        m.put("TreeSet", new TreeSet<>(List.of("b", "a")));
        m.put("TreeMap", new TreeMap<>(java.util.Map.of("y", 2, "x", 1)));
        m.put("ConcurrentHashMap", new ConcurrentHashMap<>(java.util.Map.of("c", 3)));
        m.put("LinkedHashMap", ordered("z", 1, "a", 2));
        return m;
    }
}

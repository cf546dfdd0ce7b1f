package org.kitexdubbo.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.BitSet;
import java.util.Calendar;
import java.util.Currency;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.alibaba.com.caucho.hessian.io.Hessian2Output;
import com.alibaba.com.caucho.hessian.io.SerializerFactory;

/**
 * Prints the bytes hessian-lite (Dubbo's Hessian) writes for one value of each
 * JDK type, one "name hex" line each: the table of pkg/hessian2/java's
 * TestJavaBytes and pkg/hessian2's TestJavaCollectionsThroughAny, whose names
 * these are.
 *
 * <pre>java -cp ... org.kitexdubbo.interop.HessianDump</pre>
 */
public final class HessianDump {
    private HessianDump() {}

    /** An enum of its own, so the EnumSet bytes do not depend on the suite's Status. */
    enum Color { RED, GREEN }

    static String hex(Object v) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Hessian2Output out = new Hessian2Output(b);
        out.setSerializerFactory(new SerializerFactory());
        out.writeObject(v);
        out.flush();
        return HexFormat.of().formatHex(b.toByteArray());
    }

    public static void main(String[] args) throws IOException {
        Calendar cal = Calendar.getInstance();
        cal.setTimeInMillis(1700000000123L);
        BitSet bits = new BitSet();
        bits.set(1);
        bits.set(65);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("java.sql.Timestamp", new Timestamp(1700000000123L));
        v.put("java.sql.Date", new java.sql.Date(0));
        v.put("java.sql.Time", new Time(3723000));
        v.put("java.util.UUID", UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        v.put("java.util.Locale", Locale.US);
        v.put("java.util.Currency", Currency.getInstance("EUR"));
        v.put("java.time.Duration", Duration.ofMillis(-1500));
        v.put("java.time.Period", Period.of(1, -2, 3));
        v.put("java.time.Year", Year.of(2024));
        v.put("java.time.YearMonth", YearMonth.of(2024, 2));
        v.put("java.time.MonthDay", MonthDay.of(2, 29));
        v.put("java.time.ZoneOffset", ZoneOffset.ofHoursMinutes(5, 30));
        v.put("java.time.ZoneId", ZoneId.of("Asia/Shanghai"));
        v.put("java.time.ZonedDateTime", ZonedDateTime.of(2024, 11, 3, 1, 30, 0, 5, ZoneId.of("America/New_York")));
        v.put("java.time.OffsetDateTime", OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 6, ZoneOffset.ofHours(-3)));
        v.put("java.time.OffsetTime", OffsetTime.of(3, 4, 5, 6, ZoneOffset.ofHours(2)));
        v.put("java.time.Instant", Instant.ofEpochSecond(5, 7));
        v.put("java.time.LocalDate", LocalDate.of(2024, 2, 29));
        v.put("java.time.LocalTime", LocalTime.of(1, 2, 3, 4));
        v.put("java.time.LocalDateTime", LocalDateTime.of(2024, 2, 29, 1, 2, 3, 4));
        v.put("java.util.Calendar", cal);
        v.put("java.util.EnumSet", EnumSet.of(Color.GREEN));
        v.put("java.util.EnumSet/empty", EnumSet.noneOf(Color.class));
        v.put("java.util.BitSet", bits);
        v.put("java.util.concurrent.atomic.AtomicLong", new AtomicLong(-5));
        v.put("java.util.concurrent.atomic.AtomicInteger", new AtomicInteger(7));
        v.put("java.lang.Character", 'x');
        v.put("java.lang.Character/NUL", '\0');
        v.put("java.lang.Class", String.class);
        v.put("Integer[] with a null", new Integer[] {1, null, 3});
        v.put("Long[]", new Long[] {1L});
        v.put("LinkedList", new LinkedList<>(List.of("x")));
        v.put("HashSet", new java.util.HashSet<>(List.of("x")));
        v.put("TreeMap", new TreeMap<>(Map.of("b", 2, "a", 1)));
        v.put("LinkedHashMap, z before a", JdkTypes.ordered("z", 1, "a", 2));
        v.put("ConcurrentHashMap", new ConcurrentHashMap<>(Map.of("k", 1)));
        for (Map.Entry<String, Object> e : v.entrySet()) System.out.println(e.getKey() + " " + hex(e.getValue()));
    }
}

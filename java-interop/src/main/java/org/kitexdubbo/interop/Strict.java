package org.kitexdubbo.interop;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Calendar;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Equality that also checks classes all the way down, for the cases whose
 * point is that a value comes back as the class it left as: an Integer[] is
 * not an Object[], a LinkedList not an ArrayList, a java.sql.Timestamp not a
 * java.util.Date, and a LinkedHashMap keeps its order. (Deep.equals compares
 * collections by contents only.) AtomicLong and AtomicInteger, which have no
 * equals, compare by value; a Calendar by its instant.
 */
public final class Strict {
    private Strict() {}

    static void same(Object got, Object want) {
        if (equals(got, want)) return;
        if (got != null && want != null && got.getClass() == want.getClass()
                && got.getClass().getPackageName().equals(Strict.class.getPackageName())) {
            // A POJO: name the fields that differ.
            StringBuilder sb = new StringBuilder();
            for (Field f : got.getClass().getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || !Modifier.isPublic(f.getModifiers())) continue;
                try {
                    if (!equals(f.get(got), f.get(want))) {
                        sb.append(f.getName()).append(": got ").append(show(f.get(got)))
                                .append(", want ").append(show(f.get(want))).append("; ");
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
            throw new AssertionError(sb.toString());
        }
        throw new AssertionError("got " + show(got) + ", want " + show(want));
    }

    public static boolean equals(Object a, Object b) {
        if (a == b) return true;
        if (a == null || b == null || a.getClass() != b.getClass()) return false;
        if (a instanceof AtomicLong x) return x.get() == ((AtomicLong) b).get();
        if (a instanceof AtomicInteger x) return x.get() == ((AtomicInteger) b).get();
        if (a instanceof Calendar x) return x.getTimeInMillis() == ((Calendar) b).getTimeInMillis();
        if (a.getClass().isArray()) {
            int n = Array.getLength(a);
            if (n != Array.getLength(b)) return false;
            for (int i = 0; i < n; i++) if (!equals(Array.get(a, i), Array.get(b, i))) return false;
            return true;
        }
        if (a instanceof List<?> x) return inOrder(x.iterator(), ((List<?>) b).iterator());
        if (a instanceof LinkedHashMap<?, ?> x) {
            // Insertion order is the point of the class.
            return inOrder(x.keySet().iterator(), ((Map<?, ?>) b).keySet().iterator())
                    && inOrder(x.values().iterator(), ((Map<?, ?>) b).values().iterator());
        }
        if (a instanceof Map<?, ?> x) {
            Map<?, ?> y = (Map<?, ?>) b;
            if (x.size() != y.size()) return false;
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !equals(e.getValue(), y.get(e.getKey()))) return false;
            }
            return true;
        }
        if (a instanceof Set<?>) return a.equals(b);
        if (!a.getClass().getPackageName().equals(Strict.class.getPackageName()) || a instanceof Enum<?>) {
            return a.equals(b);
        }
        for (Field f : a.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || !Modifier.isPublic(f.getModifiers())) continue;
            try {
                if (!equals(f.get(a), f.get(b))) return false;
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return true;
    }

    private static boolean inOrder(Iterator<?> i, Iterator<?> j) {
        while (i.hasNext() && j.hasNext()) if (!equals(i.next(), j.next())) return false;
        return !i.hasNext() && !j.hasNext();
    }

    /** Deep.show, with each value's class where it is the point. */
    static String show(Object o) {
        if (o == null) return "null";
        if (o instanceof List<?> l) {
            StringBuilder sb = new StringBuilder(o.getClass().getName()).append('[');
            for (Object e : l) sb.append(show(e)).append(", ");
            return sb.append(']').toString();
        }
        return o.getClass().getName() + " " + Deep.show(o);
    }
}

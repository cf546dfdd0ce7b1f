package org.kitexdubbo.interop;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Structural equality for the POJOs, so a case can compare what came back
 * with what it sent: byte[] inside lists and maps compares by content, and
 * boxed numbers of different types (Integer vs Long) stay different, which
 * is exactly the mapping mistake the suite is there to catch.
 */
public final class Deep {
    private Deep() {}

    public static boolean equals(Object a, Object b) {
        if (a == b) return true;
        if (a == null || b == null) return false;
        if (a.getClass().isArray() && b.getClass().isArray()) {
            return Arrays.deepEquals(new Object[] {a}, new Object[] {b});
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) return false;
            Iterator<?> i = x.iterator(), j = y.iterator();
            while (i.hasNext()) if (!equals(i.next(), j.next())) return false;
            return true;
        }
        if (a instanceof Set<?> x && b instanceof Set<?> y) {
            if (x.size() != y.size()) return false;
            outer:
            for (Object e : x) {
                for (Object f : y) if (equals(e, f)) continue outer;
                return false;
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) return false;
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !equals(e.getValue(), y.get(e.getKey()))) return false;
            }
            return true;
        }
        if (a.getClass() != b.getClass()) return false;
        if (!a.getClass().getPackageName().equals(Deep.class.getPackageName()) || a instanceof Enum<?>) {
            return a.equals(b);
        }
        for (Field f : fields(a.getClass())) {
            try {
                if (!equals(f.get(a), f.get(b))) return false;
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return true;
    }

    public static int hash(Object o) {
        int h = o.getClass().hashCode();
        for (Field f : fields(o.getClass())) {
            try {
                Object v = f.get(o);
                h = 31 * h + (v == null ? 0 : v.getClass().isArray() ? Arrays.deepHashCode(new Object[] {v}) : v.hashCode());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return h;
    }

    public static String show(Object o) {
        if (o == null) return "null";
        if (o.getClass().isArray()) {
            String s = Arrays.deepToString(new Object[] {o});
            return s.substring(1, s.length() - 1);
        }
        if (!o.getClass().getPackageName().equals(Deep.class.getPackageName()) || o instanceof Enum<?>) {
            String s = o instanceof String ? "\"" + o + "\"" : String.valueOf(o);
            return s.length() > 200 ? s.substring(0, 200) + "..." : s;
        }
        StringBuilder sb = new StringBuilder(o.getClass().getSimpleName()).append('{');
        List<Field> fs = fields(o.getClass());
        for (int i = 0; i < fs.size(); i++) {
            try {
                if (i > 0) sb.append(", ");
                sb.append(fs.get(i).getName()).append('=').append(show(fs.get(i).get(o)));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return sb.append('}').toString();
    }

    private static List<Field> fields(Class<?> c) {
        List<Field> out = new ArrayList<>();
        for (Field f : c.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) && Modifier.isPublic(f.getModifiers())) out.add(f);
        }
        return out;
    }
}

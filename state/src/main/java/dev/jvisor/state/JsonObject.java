package dev.jvisor.state;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Typed access to one object of a {@link JsonValues} document, for mapping it onto a record:
 * missing fields read as zero, false or null, as data binding leaves them; a field of the wrong
 * type is an {@link IllegalArgumentException} naming it.
 */
final class JsonObject {
    private final Map<?, ?> fields;
    private final String where;

    private JsonObject(Map<?, ?> fields, String where) {
        this.fields = fields;
        this.where = where;
    }

    /** {@code value} as an object; {@code where} names it in problems. */
    static JsonObject of(Object value, String where) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(where + " is not an object");
        }
        return new JsonObject(m, where);
    }

    /** The object's fields but {@code name}, in order. */
    Map<Object, Object> without(String name) {
        Map<Object, Object> out = new LinkedHashMap<>(fields);
        out.remove(name);
        return out;
    }

    boolean has(String name) {
        return fields.containsKey(name);
    }

    Object raw(String name) {
        return fields.get(name);
    }

    String string(String name) {
        Object v = fields.get(name);
        if (v != null && !(v instanceof String)) {
            throw wrong(name, "a string");
        }
        return (String) v;
    }

    int integer(String name) {
        Object v = fields.get(name);
        if (v == null) {
            return 0;
        }
        if (!(v instanceof Integer i)) {
            throw wrong(name, "an int");
        }
        return i;
    }

    long longValue(String name) {
        Long v = optionalLong(name);
        return v == null ? 0 : v;
    }

    Long optionalLong(String name) {
        Object v = fields.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Integer || v instanceof Long)) {
            throw wrong(name, "a long");
        }
        return ((Number) v).longValue();
    }

    boolean bool(String name) {
        Object v = fields.get(name);
        if (v != null && !(v instanceof Boolean)) {
            throw wrong(name, "true or false");
        }
        return v != null && (Boolean) v;
    }

    /** The array {@code name} with each element mapped; null if absent or null. */
    <T> List<T> list(String name, Function<Object, T> element) {
        Object v = fields.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof List<?> l)) {
            throw wrong(name, "an array");
        }
        List<T> out = new ArrayList<>(l.size());
        for (Object e : l) {
            out.add(element.apply(e));
        }
        return out;
    }

    /** The object {@code name} as a map with each value mapped; null if absent or null. */
    <T> Map<String, T> map(String name, Function<Object, T> value) {
        Object v = fields.get(name);
        if (v == null) {
            return null;
        }
        JsonObject o = of(v, where + "." + name);
        Map<String, T> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : o.fields.entrySet()) {
            out.put((String) e.getKey(), value.apply(e.getValue()));
        }
        return out;
    }

    /** An element of an array of ints. */
    static int intElement(Object v) {
        if (!(v instanceof Integer i)) {
            throw new IllegalArgumentException("expected an int, found " + describe(v));
        }
        return i;
    }

    /** A map value that must be a string. */
    static String stringValue(Object v) {
        if (v != null && !(v instanceof String)) {
            throw new IllegalArgumentException("expected a string, found " + describe(v));
        }
        return (String) v;
    }

    private IllegalArgumentException wrong(String name, String expected) {
        return new IllegalArgumentException(where + "." + name + " is not " + expected + " but "
                + describe(fields.get(name)));
    }

    private static String describe(Object v) {
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof BigInteger || v instanceof Long || v instanceof Integer) {
            return "the number " + v;
        }
        return String.valueOf(v);
    }
}

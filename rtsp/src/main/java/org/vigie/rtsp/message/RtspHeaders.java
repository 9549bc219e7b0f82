package org.vigie.rtsp.message;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The headers of an RTSP message, in order, names compared case-insensitively; a name may repeat (several
 * {@code WWW-Authenticate}). Immutable once built.
 */
public final class RtspHeaders {

    private final List<String> names;
    private final List<String> values;

    private RtspHeaders(List<String> names, List<String> values) {
        this.names = names;
        this.values = values;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The first value of a header, or null. */
    public String get(String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return values.get(i);
            }
        }
        return null;
    }

    /** Every value of a header, in order. */
    public List<String> getAll(String name) {
        List<String> out = new ArrayList<>(1);
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                out.add(values.get(i));
            }
        }
        return out;
    }

    public boolean contains(String name) {
        return get(name) != null;
    }

    public int size() {
        return names.size();
    }

    public String name(int i) {
        return names.get(i);
    }

    public String value(int i) {
        return values.get(i);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            boolean secret = n.equalsIgnoreCase("Authorization");
            b.append(n).append(": ").append(secret ? "***" : values.get(i)).append('\n');
        }
        return b.toString();
    }

    /** Collects headers. */
    public static final class Builder {
        private final List<String> names = new ArrayList<>();
        private final List<String> values = new ArrayList<>();

        public Builder add(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.isEmpty() || containsLineBreak(name) || containsLineBreak(value)) {
                // a RtspParseException (an IllegalArgumentException): the parser's callers catch only that one
                throw new org.vigie.rtsp.RtspParseException("RTSP header with a line break or no name: "
                        + org.vigie.rtsp.RtspParseException.excerpt(name));
            }
            names.add(name);
            values.add(value);
            return this;
        }

        /** Replaces every value of {@code name} with one. */
        public Builder set(String name, String value) {
            for (int i = names.size() - 1; i >= 0; i--) {
                if (names.get(i).equalsIgnoreCase(name)) {
                    names.remove(i);
                    values.remove(i);
                }
            }
            return add(name, value);
        }

        public RtspHeaders build() {
            return new RtspHeaders(Collections.unmodifiableList(new ArrayList<>(names)),
                    Collections.unmodifiableList(new ArrayList<>(values)));
        }

        private static boolean containsLineBreak(String s) {
            return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}

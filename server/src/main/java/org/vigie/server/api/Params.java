package org.vigie.server.api;

import java.time.DateTimeException;
import java.time.Instant;
import org.vigie.base.InstantBounds;
import org.vigie.server.http.ApiException;
import org.vigie.server.http.ApiRequest;

/** Typed query parameters, each failure a 400 naming the parameter. */
final class Params {

    private Params() {
    }

    static Instant instant(ApiRequest r, String name, Instant def) throws ApiException {
        String v = r.param(name);
        if (v == null) return def;
        try {
            return InstantBounds.parse(v);
        } catch (DateTimeException e) {
            throw ApiException.badRequest("query parameter '" + name + "' must be " + InstantBounds.EXPECTED);
        }
    }

    static int integer(ApiRequest r, String name, int def, int min, int max) throws ApiException {
        String v = r.param(name);
        if (v == null) return def;
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("query parameter '" + name + "' must be an integer between " + min
                    + " and " + max);
        }
    }

    static long longValue(String text, String what) throws ApiException {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(what + " must be an integer");
        }
    }

    static <E extends Enum<E>> E enumValue(ApiRequest r, String name, Class<E> type) throws ApiException {
        String v = r.param(name);
        if (v == null) return null;
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v)) return e;
        }
        throw ApiException.badRequest("query parameter '" + name + "' must be one of "
                + java.util.Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase()).toList());
    }
}

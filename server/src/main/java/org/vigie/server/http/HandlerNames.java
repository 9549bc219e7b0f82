package org.vigie.server.http;

/**
 * Names of the HTTP pipeline's handlers, in pipeline order:
 * <ol>
 *   <li>{@link #TLS} (only when {@code tls} is configured): TLS termination</li>
 *   <li>{@link #CODEC}: HTTP/1.1 request decoder and response encoder</li>
 *   <li>{@link #AGGREGATOR}: whole requests of at most {@code server.max-request-bytes}; beyond, 413 (also
 *       answers {@code Expect: 100-continue}, refusing an oversized body before it is sent)</li>
 *   <li>{@link #MOUNTED}{@code -0}, {@code -1}...: handlers mounted by other modules (the streaming endpoint's
 *       player page and {@code /api/v1/stream} WebSocket upgrade), each passing on what it does not serve</li>
 *   <li>{@link #API}: routes each request to a worker thread, writes the response</li>
 * </ol>
 */
public final class HandlerNames {

    public static final String TLS = "tls";
    public static final String CODEC = "http-codec";
    public static final String AGGREGATOR = "http-aggregator";
    public static final String MOUNTED = "mounted";
    public static final String API = "api";

    private HandlerNames() {
    }
}

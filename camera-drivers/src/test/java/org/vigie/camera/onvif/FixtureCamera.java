package org.vigie.camera.onvif;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny HTTP server on 127.0.0.1 that replays captured-shaped ONVIF answers: the answer to operation
 * {@code Op} is the resource {@code camera/<vendor>/Op.xml}; a missing capture answers a
 * {@code ter:ActionNotSupported} fault; an answer that is a Fault gets HTTP 400. Records every request body.
 */
final class FixtureCamera implements AutoCloseable {

    private static final Pattern OPERATION = Pattern.compile("<(?:\\w+:)?Body>\\s*<(?:\\w+:)?(\\w+)");

    private final HttpServer server;
    private final String vendor;
    final List<String> requests = new CopyOnWriteArrayList<>();

    FixtureCamera(String vendor) throws IOException {
        this.vendor = vendor;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", this::handle);
        server.start();
    }

    URI deviceService() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/onvif/device_service");
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(body);
        Matcher m = OPERATION.matcher(body);
        String op = m.find() ? m.group(1) : "unknown";
        byte[] answer;
        try (InputStream in = getClass().getResourceAsStream("/camera/" + vendor + "/" + op + ".xml")) {
            answer = in != null ? in.readAllBytes() : fault("ter:ActionNotSupported", op + " not captured")
                    .getBytes(StandardCharsets.UTF_8);
        }
        int status = new String(answer, StandardCharsets.UTF_8).contains("Fault>") ? 400 : 200;
        exchange.getResponseHeaders().set("Content-Type", "application/soap+xml; charset=utf-8");
        exchange.sendResponseHeaders(status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    static String fault(String subcode, String reason) {
        return "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\""
                + " xmlns:ter=\"http://www.onvif.org/ver10/error\"><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value>"
                + "<s:Subcode><s:Value>" + subcode + "</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang=\"en\">"
                + reason + "</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>";
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

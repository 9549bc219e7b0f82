package org.vigie.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.server.audit.AuditLog;
import org.vigie.server.auth.Authenticator;
import org.vigie.server.auth.PasswordHasher;
import org.vigie.server.auth.UserStore;
import org.vigie.server.store.Database;

/**
 * The HTTP pipeline on an {@link EmbeddedChannel}: raw bytes in, raw bytes out. The worker executor is either
 * direct (the dispatcher runs inline) or saturated (every task rejected).
 */
class ApiHandlerTest {

    @TempDir
    Path dir;

    Database db;
    ApiDispatcher dispatcher;

    @BeforeEach
    void setUp() throws Exception {
        db = Database.open(dir.resolve("vms.db"));
        Authenticator auth = new Authenticator(new UserStore(db), new PasswordHasher(64, 1, 1),
                InstantSource.system(), Duration.ofHours(1), 3, Duration.ofMinutes(1), Duration.ofMinutes(1));
        Router router = new Router(List.of(
                new Route(HttpMethod.GET, "/healthz", null, "public", ctx -> ApiResponse.ok(java.util.Map.of("status", "ok"))),
                new Route(HttpMethod.POST, "/echo", null, "public", ctx -> ApiResponse.text(
                        io.netty.handler.codec.http.HttpResponseStatus.OK, "text/plain",
                        new String(ctx.request().body(), StandardCharsets.UTF_8))),
                new Route(HttpMethod.GET, "/boom", null, "public", ctx -> {
                    throw new IllegalStateException("secret internal detail");
                }),
                new Route(HttpMethod.GET, "/private", org.vigie.server.auth.Permission.AUTHENTICATED, "p",
                        ctx -> ApiResponse.noContent())));
        dispatcher = new ApiDispatcher(router, auth, new AuditLog(db, InstantSource.system()));
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    EmbeddedChannel channel(Executor workers) {
        return new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(1024),
                new ApiHandler(dispatcher, workers));
    }

    static String exchange(EmbeddedChannel ch, String request) {
        ch.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        ch.runPendingTasks();
        StringBuilder out = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return out.toString();
    }

    @Test
    void publicRouteAnswers() {
        String r = exchange(channel(Runnable::run), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 200 OK").contains("content-type: application/json")
                .contains("{\"status\":\"ok\"}");
    }

    @Test
    void bodyWithinTheLimitIsAggregated() {
        String body = "x".repeat(1000);
        String r = exchange(channel(Runnable::run), "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"
                + body);
        assertThat(r).startsWith("HTTP/1.1 200").endsWith(body);
    }

    @Test
    void oversizedBodyIs413BeforeReachingTheHandler() {
        String r = exchange(channel(task -> {
            throw new AssertionError("an oversized request must not reach the workers");
        }), "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + "x".repeat(5000));
        assertThat(r).startsWith("HTTP/1.1 413");
    }

    @Test
    void saturatedWorkersAnswer503AtOnce() {
        String r = exchange(channel(task -> {
            throw new RejectedExecutionException("full");
        }), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 503").contains("server busy");
    }

    @Test
    void undecodableRequestIs400AndCloses() {
        EmbeddedChannel ch = channel(Runnable::run);
        String r = exchange(ch, "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 400");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void handlerFailureIs500WithoutItsMessage() {
        String r = exchange(channel(Runnable::run), "GET /boom HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 500").doesNotContain("secret internal detail");
    }

    @Test
    void privateRouteWithoutCredentialsIs401WithAChallenge() {
        String r = exchange(channel(Runnable::run), "GET /private HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 401").contains("www-authenticate: Bearer");
    }
}

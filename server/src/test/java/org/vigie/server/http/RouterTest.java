package org.vigie.server.http;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigie.server.auth.Permission;

class RouterTest {

    static Route route(io.netty.handler.codec.http.HttpMethod m, String t) {
        return new Route(m, t, Permission.CAMERA_READ, t, ctx -> ApiResponse.noContent());
    }

    final Router router = new Router(List.of(route(GET, "/api/v1/users/{name}"), route(GET, "/api/v1/users/me"),
            route(DELETE, "/api/v1/users/{name}"), route(GET, "/api/v1/users/{name}/api-keys/{keyId}"),
            route(POST, "/api/v1/users")));

    @Test
    void variablesBindOneSegment() throws Exception {
        Router.Match m = router.match(GET, "/api/v1/users/alice/api-keys/k1");
        assertThat(m.variables()).containsEntry("name", "alice").containsEntry("keyId", "k1");
    }

    @Test
    void literalWinsOverVariable() throws Exception {
        assertThat(router.match(GET, "/api/v1/users/me").route().template()).isEqualTo("/api/v1/users/me");
        assertThat(router.match(DELETE, "/api/v1/users/me").route().template()).isEqualTo("/api/v1/users/{name}");
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() {
        assertThatThrownBy(() -> router.match(GET, "/api/v1/nothing")).isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThatThrownBy(() -> router.match(POST, "/api/v1/users/alice")).isInstanceOf(ApiException.class)
                .hasMessageContaining("GET, DELETE")
                .extracting(e -> ((ApiException) e).status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertThatThrownBy(() -> router.match(GET, "/api/v1/users/")).isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
    }

    @Test
    void duplicateRoutesAreRefused() {
        assertThatThrownBy(() -> new Router(List.of(route(GET, "/a"), route(GET, "/a"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void traversalAndControlCharactersAreRefused() {
        for (String p : new String[] {"/a/../b", "/a/./b", "/..", "/a\\b", "/a\u0000b", "a", "/a//b", ""}) {
            assertThatThrownBy(() -> ApiDispatcher.checkPath(p)).as(p).isInstanceOf(ApiException.class);
        }
    }
}

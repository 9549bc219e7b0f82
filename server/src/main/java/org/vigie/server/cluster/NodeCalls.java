package org.vigie.server.cluster;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.server.auth.Authenticator;
import org.vigie.server.auth.Principal;
import org.vigie.server.http.ApiRequest;
import org.vigie.server.http.Callers;

/**
 * The API's callers on a cluster node (issue 13): a user's bearer token or API key as on a single node, or a
 * node-to-node call ({@link NodeCredentials}) served as its acting user, with that user's role and grants as stored
 * now (a user deleted meanwhile: refused). Thread-safe; blocking.
 */
public final class NodeCalls implements Callers {

    private static final Logger LOG = LoggerFactory.getLogger(NodeCalls.class);

    private final NodeCredentials credentials;
    private final Authenticator authenticator;

    public NodeCalls(NodeCredentials credentials, Authenticator authenticator) {
        this.credentials = credentials;
        this.authenticator = authenticator;
    }

    @Override
    public Optional<Principal> authenticate(ApiRequest request) throws Exception {
        String authorization = request.authorization();
        if (!NodeCredentials.isNodeCall(authorization)) return authenticator.authenticate(authorization);
        return actingUser(authorization, request.method().name(), request.path(), true);
    }

    /**
     * The acting user of a node call for this method and path, empty when the header is not valid (refused and
     * logged: a node with another secret, a replay, a forgery); {@code fresh} false only to re-check a connection.
     */
    public Optional<Principal> actingUser(String authorization, String method, String path, boolean fresh)
            throws Exception {
        Optional<NodeCredentials.Caller> caller = fresh ? credentials.verify(authorization, method, path)
                : credentials.verifyAdmitted(authorization, method, path);
        if (caller.isEmpty()) {
            LOG.warn("refused a node-to-node call {} {}: not signed with this cluster's secret, or too old", method,
                    path);
            return Optional.empty();
        }
        return authenticator.current(caller.get().user());
    }

    public NodeCredentials credentials() {
        return credentials;
    }
}

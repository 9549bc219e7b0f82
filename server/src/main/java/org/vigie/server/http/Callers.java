package org.vigie.server.http;

import java.util.Optional;
import org.vigie.server.auth.Principal;

/**
 * Who makes an API request: the user of a bearer token or API key, or (in a cluster, issue 13) the acting user of a
 * node-to-node call. Empty: 401. Thread-safe; blocking.
 */
@FunctionalInterface
public interface Callers {

    Optional<Principal> authenticate(ApiRequest request) throws Exception;
}

package org.vigie.server.auth;

/** A refused login. The message is safe to return to the client: it never says whether the user exists. */
public final class AuthenticationException extends Exception {

    /** Why a login was refused. */
    public enum Reason {
        INVALID_CREDENTIALS,
        /** The account is locked: for the audit trail only, the client is answered as for wrong credentials. */
        LOCKED,
        /** Too many failed logins from the source address: answered 429, whatever the account. */
        THROTTLED
    }

    private final Reason reason;

    public AuthenticationException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

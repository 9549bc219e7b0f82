package org.vigie.server.audit;

/**
 * The server's key that signs the head of the audit chain (the server's Ed25519 evidence key): whoever can rewrite
 * the database can recompute every hash of the chain, but cannot sign its new head without the key.
 */
public interface HeadKey {

    byte[] sign(byte[] data);

    boolean verify(byte[] data, byte[] signature);
}

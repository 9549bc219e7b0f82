package org.vigie.server.audit;

/**
 * The result of recomputing the audit chain.
 *
 * @param records    records checked
 * @param brokenSeq  the sequence number of the first record that does not verify, or -1 when the chain is intact
 * @param problem    what is wrong with it, or null
 */
public record AuditVerification(long records, long brokenSeq, String problem) {

    public boolean intact() {
        return brokenSeq < 0;
    }

    @Override
    public String toString() {
        return intact() ? "audit trail intact: " + records + " record(s)"
                : "audit trail TAMPERED at record " + brokenSeq + ": " + problem;
    }
}

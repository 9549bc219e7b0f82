-- The head of the audit chain signed with the server's Ed25519 key (a rewritten chain cannot be).
ALTER TABLE audit_head ADD COLUMN signature TEXT;

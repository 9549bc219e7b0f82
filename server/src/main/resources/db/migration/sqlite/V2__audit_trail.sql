-- The audit trail, append-only and hash-chained; audit_head remembers the last record so that removing records at
-- the end is detected too.
CREATE TABLE audit (seq INTEGER PRIMARY KEY, time TEXT NOT NULL, username TEXT NOT NULL,
    action TEXT NOT NULL, camera TEXT, detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;

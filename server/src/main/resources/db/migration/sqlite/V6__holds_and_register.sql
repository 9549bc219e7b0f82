-- Legal holds and the register of recordings, moved from journals on the first volume into the store so that a
-- cluster shares them. Instants are epoch microseconds;
-- release_effective_us: when a release takes effect (the end of legal-holds.release-grace), null when not released.
CREATE TABLE legal_holds (number INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, camera TEXT NOT NULL,
    from_us INTEGER NOT NULL, to_us INTEGER NOT NULL, case_number TEXT NOT NULL, reason TEXT NOT NULL,
    expires_us INTEGER NOT NULL, created_by TEXT NOT NULL, created_us INTEGER NOT NULL, released_us INTEGER,
    released_by TEXT, release_effective_us INTEGER);
-- node: the node whose deleter or export wrote the entry ('' on a single node); id is unique per node.
CREATE TABLE register (node TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, at_us INTEGER NOT NULL,
    camera TEXT NOT NULL, stream TEXT, from_us INTEGER NOT NULL, to_us INTEGER NOT NULL, cause TEXT,
    actor TEXT NOT NULL, recipient TEXT, case_number TEXT, segments INTEGER NOT NULL, bytes INTEGER NOT NULL,
    PRIMARY KEY (node, id));
CREATE INDEX register_at ON register (at_us);

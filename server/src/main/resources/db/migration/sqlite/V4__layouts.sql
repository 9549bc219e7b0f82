-- The operators' saved wall layouts (cameras: a JSON array, one entry per tile).
CREATE TABLE layouts (id INTEGER PRIMARY KEY, name TEXT NOT NULL, owner TEXT NOT NULL,
    group_ TEXT, layout TEXT NOT NULL, cameras TEXT NOT NULL, created INTEGER NOT NULL,
    updated INTEGER NOT NULL);
CREATE INDEX layouts_owner ON layouts (owner);
CREATE INDEX layouts_group ON layouts (group_);

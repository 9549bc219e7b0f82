-- Camera events and bookmarks.
CREATE TABLE events (id INTEGER PRIMARY KEY, camera TEXT NOT NULL, time INTEGER NOT NULL,
    type TEXT NOT NULL, topic TEXT NOT NULL, active INTEGER NOT NULL, source TEXT NOT NULL,
    data TEXT NOT NULL);
CREATE INDEX events_camera_time ON events (camera, time);
CREATE INDEX events_time ON events (time);
CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, camera TEXT NOT NULL, time INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL, title TEXT NOT NULL, created_by TEXT NOT NULL, created INTEGER NOT NULL);
CREATE INDEX bookmarks_camera_time ON bookmarks (camera, time);

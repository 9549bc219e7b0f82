-- Cameras added through the API, users and their credentials.
CREATE TABLE cameras (id TEXT PRIMARY KEY, config TEXT NOT NULL, created INTEGER NOT NULL);
CREATE TABLE users (username TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL,
    cameras TEXT NOT NULL, groups_ TEXT NOT NULL, failures INTEGER NOT NULL DEFAULT 0,
    first_failure INTEGER NOT NULL DEFAULT 0, locked_until INTEGER NOT NULL DEFAULT 0,
    created INTEGER NOT NULL);
CREATE TABLE tokens (hash TEXT PRIMARY KEY, username TEXT NOT NULL REFERENCES users(username)
    ON DELETE CASCADE, expires INTEGER NOT NULL);
CREATE TABLE api_keys (hash TEXT PRIMARY KEY, id TEXT NOT NULL UNIQUE, username TEXT NOT NULL
    REFERENCES users(username) ON DELETE CASCADE, name TEXT NOT NULL, created INTEGER NOT NULL);

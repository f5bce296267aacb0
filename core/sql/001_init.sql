-- The first schema of connecthub (SQLite). Times are Unix milliseconds.

CREATE TABLE users (
  id              INTEGER PRIMARY KEY,
  phone           TEXT    NOT NULL UNIQUE,
  invitation_code TEXT    NOT NULL UNIQUE,
  invited_by      INTEGER REFERENCES users(id),
  activated_at    INTEGER,
  created_at      INTEGER NOT NULL,
  token_version   INTEGER NOT NULL DEFAULT 0
);
-- A user's invitees, oldest activation first, straight from the index.
CREATE INDEX users_by_inviter ON users(invited_by, activated_at, id);
-- The operator's list, newest first.
CREATE INDEX users_by_created ON users(created_at, id);

-- The last code sent to a phone for a purpose; only its keyed hash, never the code.
CREATE TABLE codes (
  phone      TEXT    NOT NULL,
  purpose    TEXT    NOT NULL,
  code_hash  BLOB    NOT NULL,
  sent_at    INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  attempts   INTEGER NOT NULL DEFAULT 0,
  live       INTEGER NOT NULL,
  PRIMARY KEY (phone, purpose)
) WITHOUT ROWID;

-- Event logs behind the hourly send cap and the daily failure cap.
CREATE TABLE code_sends (
  phone TEXT    NOT NULL,
  at    INTEGER NOT NULL
);
CREATE INDEX code_sends_by_phone ON code_sends(phone, at);

CREATE TABLE verify_failures (
  phone TEXT    NOT NULL,
  at    INTEGER NOT NULL
);
CREATE INDEX verify_failures_by_phone ON verify_failures(phone, at);

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Register enrollment (pos-app admin sheet): a single-use code per register, printed in a QR
-- code, which the register exchanges at first contact for its long-lived token. Only the
-- code's SHA-256 is stored. A code works once (used_at) and until expires_at (24 h).
-- claim is the hash of the token the exchange issued, so the same batch finds its own row.
CREATE TABLE enrollments (
  code_hash TEXT PRIMARY KEY,
  register_id TEXT NOT NULL REFERENCES registers(id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT,
  claim TEXT UNIQUE
);
CREATE INDEX enrollments_register ON enrollments (register_id);

-- Background pruning of expired and long-revoked refresh tokens takes small batches, found
-- through these indexes rather than a scan of every token (docs/protocol.md#refresh-tokens).
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX refresh_tokens_by_revocation ON refresh_tokens (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- The credential callers are checked against (auth: basic → httpBasicAuth, header → httpHeaderAuth),
-- a reference into credential-service; null when the trigger has auth: none.
ALTER TABLE webhook ADD COLUMN credential_id UUID;

-- When the account's e-mail address was first proven to be its owner's (today: an identity provider
-- vouched for it at an external log-in). Announced once as auth.email_verified.
ALTER TABLE account ADD COLUMN email_verified_at TIMESTAMPTZ;

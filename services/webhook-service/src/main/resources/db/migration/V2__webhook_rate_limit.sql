-- The trigger's rateLimitPerMinute: calls over it in a minute get 429 (null: no limit).
ALTER TABLE webhook ADD COLUMN rate_limit_per_minute INTEGER;

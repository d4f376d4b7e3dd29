-- Server processes keep the API tokens they have seen in memory (so an API request costs no
-- database round trip). A token revoked or given another expiry, by any process or by hand, is
-- announced on the same channel as the reference data when its transaction commits, so every
-- process forgets what it kept at once. (Noting a token's last use changes neither column.)
CREATE TRIGGER api_token_changed AFTER UPDATE OF revoked_at, expires_at OR DELETE OR TRUNCATE ON api_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION notify_reference_change();

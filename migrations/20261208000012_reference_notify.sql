-- Server processes keep what a check reads (published runs and their bands, exchange rates,
-- countries, currencies, units) in memory. Any change to those tables, by any process or by
-- hand, is announced on the channel `valora_reference` when its transaction commits, so every
-- process reads them again at once.
CREATE FUNCTION notify_reference_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('valora_reference', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

CREATE TRIGGER reference_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON band_runs
    FOR EACH STATEMENT EXECUTE FUNCTION notify_reference_change();
CREATE TRIGGER reference_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON exchange_rates
    FOR EACH STATEMENT EXECUTE FUNCTION notify_reference_change();
CREATE TRIGGER reference_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON countries
    FOR EACH STATEMENT EXECUTE FUNCTION notify_reference_change();
CREATE TRIGGER reference_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON currencies
    FOR EACH STATEMENT EXECUTE FUNCTION notify_reference_change();
CREATE TRIGGER reference_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON units
    FOR EACH STATEMENT EXECUTE FUNCTION notify_reference_change();

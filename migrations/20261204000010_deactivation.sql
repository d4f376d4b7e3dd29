-- People who no longer work here: a deactivated person cannot sign in and their sessions end,
-- while everything they did stays theirs. A person with open cases stays active until the cases
-- are moved, and nobody deactivated can be given a case.
ALTER TABLE users ADD COLUMN deactivated_at TIMESTAMPTZ;

CREATE FUNCTION users_with_open_cases_stay_active() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    open_cases BIGINT;
BEGIN
    IF NEW.deactivated_at IS NOT NULL AND OLD.deactivated_at IS NULL THEN
        SELECT count(*) INTO open_cases FROM cases
         WHERE assignee_id = NEW.id
           AND state IN ('submitted', 'in_progress', 'awaiting_trader', 'under_review');
        IF open_cases > 0 THEN
            RAISE EXCEPTION 'user % has % open cases', NEW.id, open_cases
                USING ERRCODE = 'VA001', HINT = open_cases::text;
        END IF;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER users_with_open_cases_stay_active
    BEFORE UPDATE OF deactivated_at ON users
    FOR EACH ROW EXECUTE FUNCTION users_with_open_cases_stay_active();

-- The person's row is locked (FOR SHARE) so that an assignment and a deactivation running at the
-- same time wait for each other instead of both passing. A closed case keeps its last assignee for
-- the reports; reopened after that person left, it goes back to the unassigned queue.
CREATE FUNCTION cases_go_to_active_people() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    gone TIMESTAMPTZ;
BEGIN
    IF NEW.assignee_id IS NULL
       OR NEW.state NOT IN ('submitted', 'in_progress', 'awaiting_trader', 'under_review') THEN
        RETURN NEW;
    END IF;
    SELECT deactivated_at INTO gone FROM users WHERE id = NEW.assignee_id FOR SHARE;
    IF gone IS NULL THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.assignee_id = OLD.assignee_id THEN
        NEW.assignee_id := NULL;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'user % is deactivated and cannot be assigned cases', NEW.assignee_id
        USING ERRCODE = 'VA002';
END;
$$;
CREATE TRIGGER cases_go_to_active_people
    BEFORE INSERT OR UPDATE OF assignee_id, state ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_go_to_active_people();

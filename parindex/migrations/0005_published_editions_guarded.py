"""A released edition is never deleted and its figures change only by correction.

PostgreSQL triggers, like those of 0002 and 0003, so the rule holds from the
admin, an import, the shell or raw SQL:
- an edition that was released (released, corrected, withdrawn) cannot be
  deleted, nor put back to draft or checked, except a scheduled one before
  its release time (unschedule). Demo editions may be deleted only while
  `parindex.demo_reset` is on (seed_demo --reset, parindex.services);
- results and area points of such an edition cannot be changed or deleted
  unless `parindex.correcting` is on (parindex.services.edition_correct) or,
  for demo editions, `parindex.demo_reset`. (Adding rows is refused by the
  import, which never writes into a released edition.)
They raise SQLSTATE 23514 (check_violation: IntegrityError in Django).
"""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION parindex_flag(name text) RETURNS boolean AS $$
  SELECT coalesce(current_setting(name, true), '') = 'on'
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION parindex_edition_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status IN ('released', 'corrected', 'withdrawn')
       AND NOT (OLD.is_demo AND parindex_flag('parindex.demo_reset')) THEN
      RAISE EXCEPTION 'parindex_edition_published_kept: edition % was released',
        OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status IN ('released', 'corrected', 'withdrawn')
     AND NEW.status NOT IN ('released', 'corrected', 'withdrawn')
     AND NOT (OLD.status = 'released' AND OLD.release_at > now()) THEN
    RAISE EXCEPTION 'parindex_edition_published_kept: edition % was released',
      OLD.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER parindex_edition_guard
  BEFORE UPDATE OR DELETE ON parindex_edition
  FOR EACH ROW EXECUTE FUNCTION parindex_edition_guard();

CREATE OR REPLACE FUNCTION parindex_published_figures_guard(edition_id bigint)
RETURNS void AS $$
DECLARE
  e_status varchar;
  e_demo boolean;
BEGIN
  SELECT e.status, e.is_demo INTO e_status, e_demo
    FROM parindex_edition e WHERE e.id = edition_id;
  IF e_status IN ('released', 'corrected', 'withdrawn')
     AND NOT parindex_flag('parindex.correcting')
     AND NOT (e_demo AND parindex_flag('parindex.demo_reset')) THEN
    RAISE EXCEPTION 'parindex_published_figures: edition % was released; correct it',
      edition_id USING ERRCODE = 'check_violation';
  END IF;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION parindex_result_guard() RETURNS trigger AS $$
BEGIN
  PERFORM parindex_published_figures_guard(OLD.edition_id);
  IF TG_OP = 'UPDATE' THEN
    PERFORM parindex_published_figures_guard(NEW.edition_id);
    RETURN NEW;
  END IF;
  RETURN OLD;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER parindex_result_guard
  BEFORE UPDATE OR DELETE ON parindex_result
  FOR EACH ROW EXECUTE FUNCTION parindex_result_guard();

CREATE OR REPLACE FUNCTION parindex_areascore_guard() RETURNS trigger AS $$
DECLARE
  r_edition bigint;
BEGIN
  SELECT r.edition_id INTO r_edition FROM parindex_result r WHERE r.id = OLD.result_id;
  IF r_edition IS NOT NULL THEN
    PERFORM parindex_published_figures_guard(r_edition);
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER parindex_areascore_guard
  BEFORE UPDATE OR DELETE ON parindex_areascore
  FOR EACH ROW EXECUTE FUNCTION parindex_areascore_guard();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS parindex_areascore_guard ON parindex_areascore;
DROP FUNCTION IF EXISTS parindex_areascore_guard();
DROP TRIGGER IF EXISTS parindex_result_guard ON parindex_result;
DROP FUNCTION IF EXISTS parindex_result_guard();
DROP FUNCTION IF EXISTS parindex_published_figures_guard(bigint);
DROP TRIGGER IF EXISTS parindex_edition_guard ON parindex_edition;
DROP FUNCTION IF EXISTS parindex_edition_guard();
DROP FUNCTION IF EXISTS parindex_flag(text);
"""


class Migration(migrations.Migration):
    dependencies = [("parindex", "0004_edition_provenance_history_corrections")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]

"""Database-level rules that span tables, as PostgreSQL triggers.

A CHECK constraint cannot look at another table, so these rules are triggers:
- an edition's framework belongs to the edition's group;
- a result's unit belongs to the edition's group and existed during its year,
  and its points do not exceed the framework's maximum;
- an area score's area belongs to the edition's framework, has a known maximum,
  and the points do not exceed it.
They raise SQLSTATE 23514 (check_violation), which Django reports as
IntegrityError, so bad rows cannot enter through admin, an import or the shell.
"""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION parindex_edition_check() RETURNS trigger AS $$
DECLARE
  f_group varchar;
BEGIN
  SELECT f."group" INTO f_group FROM parindex_framework f WHERE f.id = NEW.framework_id;
  IF f_group IS DISTINCT FROM NEW."group" THEN
    RAISE EXCEPTION 'parindex_edition_framework_group: framework % is not of group %',
      NEW.framework_id, NEW."group" USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER parindex_edition_check
  BEFORE INSERT OR UPDATE ON parindex_edition
  FOR EACH ROW EXECUTE FUNCTION parindex_edition_check();

CREATE OR REPLACE FUNCTION parindex_result_check() RETURNS trigger AS $$
DECLARE
  e_year integer;
  e_group varchar;
  f_max numeric;
  u_group varchar;
  u_from date;
  u_to date;
BEGIN
  SELECT e.year, e."group", f.max_points INTO e_year, e_group, f_max
    FROM parindex_edition e JOIN parindex_framework f ON f.id = e.framework_id
    WHERE e.id = NEW.edition_id;
  SELECT u."group", u.valid_from, u.valid_to INTO u_group, u_from, u_to
    FROM parindex_unit u WHERE u.id = NEW.unit_id;
  IF u_group IS DISTINCT FROM e_group THEN
    RAISE EXCEPTION 'parindex_result_unit_group: unit % is not of group %',
      NEW.unit_id, e_group USING ERRCODE = 'check_violation';
  END IF;
  IF (u_from IS NOT NULL AND u_from > make_date(e_year, 12, 31))
     OR (u_to IS NOT NULL AND u_to < make_date(e_year, 1, 1)) THEN
    RAISE EXCEPTION 'parindex_result_unit_period: unit % did not exist in %',
      NEW.unit_id, e_year USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.total > f_max OR NEW.appraisal > f_max OR NEW.survey > f_max THEN
    RAISE EXCEPTION 'parindex_result_points_max: points above the framework maximum %',
      f_max USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER parindex_result_check
  BEFORE INSERT OR UPDATE ON parindex_result
  FOR EACH ROW EXECUTE FUNCTION parindex_result_check();

CREATE OR REPLACE FUNCTION parindex_areascore_check() RETURNS trigger AS $$
DECLARE
  a_framework bigint;
  a_max numeric;
  e_framework bigint;
BEGIN
  SELECT a.framework_id, a.max_points INTO a_framework, a_max
    FROM parindex_area a WHERE a.id = NEW.area_id;
  SELECT e.framework_id INTO e_framework
    FROM parindex_result r JOIN parindex_edition e ON e.id = r.edition_id
    WHERE r.id = NEW.result_id;
  IF a_framework IS DISTINCT FROM e_framework THEN
    RAISE EXCEPTION 'parindex_areascore_framework: area % is not in the edition framework',
      NEW.area_id USING ERRCODE = 'check_violation';
  END IF;
  IF a_max IS NULL OR NEW.points > a_max THEN
    RAISE EXCEPTION 'parindex_areascore_points_max: % above the area maximum %',
      NEW.points, a_max USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER parindex_areascore_check
  BEFORE INSERT OR UPDATE ON parindex_areascore
  FOR EACH ROW EXECUTE FUNCTION parindex_areascore_check();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS parindex_areascore_check ON parindex_areascore;
DROP FUNCTION IF EXISTS parindex_areascore_check();
DROP TRIGGER IF EXISTS parindex_result_check ON parindex_result;
DROP FUNCTION IF EXISTS parindex_result_check();
DROP TRIGGER IF EXISTS parindex_edition_check ON parindex_edition;
DROP FUNCTION IF EXISTS parindex_edition_check();
"""


class Migration(migrations.Migration):
    dependencies = [("parindex", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]

"""A framework used by an edition keeps its group, maxima and area numbers.

Released pages divide area points by the area's maximum and total points by
the framework's maximum, and the checks of migration 0002 ran against them
when the points were stored; changing them afterwards would make stored
results wrong or unreadable. An area's maximum that is still unknown (NULL)
may be filled in: no points can be stored against it. The admin shows these
fields read-only; these triggers refuse the change from any other path with
SQLSTATE 23514 (check_violation, IntegrityError in Django).
"""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION parindex_area_frozen() RETURNS trigger AS $$
BEGIN
  IF (NEW.number IS DISTINCT FROM OLD.number
      OR NEW.framework_id IS DISTINCT FROM OLD.framework_id
      OR (OLD.max_points IS NOT NULL
          AND NEW.max_points IS DISTINCT FROM OLD.max_points))
     AND EXISTS (
       SELECT 1 FROM parindex_edition e WHERE e.framework_id = OLD.framework_id
     ) THEN
    RAISE EXCEPTION 'parindex_area_frozen: area % belongs to a framework in use',
      OLD.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER parindex_area_frozen
  BEFORE UPDATE ON parindex_area
  FOR EACH ROW EXECUTE FUNCTION parindex_area_frozen();

CREATE OR REPLACE FUNCTION parindex_framework_frozen() RETURNS trigger AS $$
BEGIN
  IF (NEW."group" IS DISTINCT FROM OLD."group"
      OR NEW.max_points IS DISTINCT FROM OLD.max_points)
     AND EXISTS (SELECT 1 FROM parindex_edition e WHERE e.framework_id = OLD.id) THEN
    RAISE EXCEPTION 'parindex_framework_frozen: framework % is used by an edition',
      OLD.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER parindex_framework_frozen
  BEFORE UPDATE ON parindex_framework
  FOR EACH ROW EXECUTE FUNCTION parindex_framework_frozen();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS parindex_framework_frozen ON parindex_framework;
DROP FUNCTION IF EXISTS parindex_framework_frozen();
DROP TRIGGER IF EXISTS parindex_area_frozen ON parindex_area;
DROP FUNCTION IF EXISTS parindex_area_frozen();
"""


class Migration(migrations.Migration):
    dependencies = [("parindex", "0002_cross_table_checks")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]

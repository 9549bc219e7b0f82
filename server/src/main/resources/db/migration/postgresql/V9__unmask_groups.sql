-- The unmask right by camera group (issue 14), like the view grants: a JSON array of camera groups on whose cameras
-- the user may lift liftable privacy masks with a reason (users.unmask keeps the grant by camera id).
ALTER TABLE users ADD COLUMN unmask_groups TEXT NOT NULL DEFAULT '[]';

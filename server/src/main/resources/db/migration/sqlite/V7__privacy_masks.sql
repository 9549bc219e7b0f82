-- Privacy masks (issue 14): every version of each camera's masks is kept, in force from valid_from_us (epoch
-- microseconds) until the next version; masks is a JSON array (MaskStore). Users' per-camera unmask right (a JSON
-- array of camera ids). The register names the mask version an export applied (null: a destruction, or an export
-- registered before masks existed).
CREATE TABLE privacy_masks (camera TEXT NOT NULL, version INTEGER NOT NULL, valid_from_us INTEGER NOT NULL,
    changed_by TEXT NOT NULL, masks TEXT NOT NULL, PRIMARY KEY (camera, version));
ALTER TABLE users ADD COLUMN unmask TEXT NOT NULL DEFAULT '[]';
ALTER TABLE register ADD COLUMN mask_version INTEGER;

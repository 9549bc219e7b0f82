-- The span catalogue (issue 13): which node holds which camera's recorded spans, so that every node of a cluster
-- answers the whole timeline and knows where to fetch the bytes. One row per continuous span of a stream on a node
-- (start_us .. end_us, epoch microseconds), extended as the node records (SpanCatalogueWriter), not a row per
-- segment. A single node writes its own rows too (node_id '').
CREATE TABLE span_catalogue (node_id TEXT NOT NULL, camera TEXT NOT NULL, stream TEXT NOT NULL,
    start_us BIGINT NOT NULL, end_us BIGINT NOT NULL, PRIMARY KEY (node_id, camera, stream, start_us));
CREATE INDEX span_catalogue_by_camera ON span_catalogue (camera, stream, end_us);

-- collection_document_counts is kept by triggers on documents, so a metrics scrape reads one row per
-- collection instead of counting every document. Inserts and deletes count per statement (a batch is
-- one update per collection); a row trigger, whose WHEN skips the pipeline's ordinary stage changes,
-- follows a document into or out of 'dead' (or to another collection).
CREATE FUNCTION collection_document_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO collection_document_counts AS c (collection_id, documents, dead)
    SELECT collection_id, count(*), count(*) FILTER (WHERE stage = 'dead') FROM inserted_documents GROUP BY collection_id
  ON CONFLICT (collection_id) DO UPDATE SET documents = c.documents + excluded.documents, dead = c.dead + excluded.dead;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- An update, never an upsert: a collection's delete cascades to its row and its documents in either order.
CREATE FUNCTION collection_document_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE collection_document_counts c SET documents = c.documents - d.n, dead = c.dead - d.dead
  FROM (SELECT collection_id, count(*) AS n, count(*) FILTER (WHERE stage = 'dead') AS dead FROM deleted_documents GROUP BY collection_id) d
  WHERE c.collection_id = d.collection_id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION collection_document_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE collection_document_counts SET documents = documents - 1, dead = dead - (OLD.stage = 'dead')::int WHERE collection_id = OLD.collection_id;
  INSERT INTO collection_document_counts AS c (collection_id, documents, dead) VALUES (NEW.collection_id, 1, (NEW.stage = 'dead')::int)
  ON CONFLICT (collection_id) DO UPDATE SET documents = c.documents + 1, dead = c.dead + excluded.dead;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER documents_count_insert AFTER INSERT ON documents REFERENCING NEW TABLE AS inserted_documents
  FOR EACH STATEMENT EXECUTE FUNCTION collection_document_counts_insert();
--> statement-breakpoint
CREATE TRIGGER documents_count_delete AFTER DELETE ON documents REFERENCING OLD TABLE AS deleted_documents
  FOR EACH STATEMENT EXECUTE FUNCTION collection_document_counts_delete();
--> statement-breakpoint
CREATE TRIGGER documents_count_update AFTER UPDATE OF stage, collection_id ON documents
  FOR EACH ROW WHEN ((OLD.stage = 'dead') IS DISTINCT FROM (NEW.stage = 'dead') OR OLD.collection_id IS DISTINCT FROM NEW.collection_id)
  EXECUTE FUNCTION collection_document_counts_update();
--> statement-breakpoint
INSERT INTO collection_document_counts (collection_id, documents, dead)
  SELECT collection_id, count(*), count(*) FILTER (WHERE stage = 'dead') FROM documents GROUP BY collection_id;

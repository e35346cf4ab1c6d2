-- Text search over operations (their id and error) uses trigram indexes; pg_trgm ships with PostgreSQL (contrib) and is a trusted extension.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

"""The register's local SQLite store: models, engine set-up, unit of work and repositories."""

"""Database layer: engine and session factories, typed models, repositories, Alembic migrations."""

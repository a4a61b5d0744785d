from __future__ import annotations

from alembic import context

from crm.migrations.env_filter import include_object
from crm.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when someone runs `alembic` by hand
    from sqlalchemy import create_engine

    from crm.paths import database_url

    connection = create_engine(database_url()).connect()


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()

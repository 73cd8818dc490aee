from alembic import context

from db.models import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # command-line use: alembic -x db=PATH ...
    from db.engine import make_engine
    from pathlib import Path
    engine = make_engine(Path(context.get_x_argument(as_dictionary=True)["db"]))

with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()

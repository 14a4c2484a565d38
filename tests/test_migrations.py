"""The schema comes only from Alembic: models and migrations agree, and each step reverses."""

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from app.cli import alembic_config
from app.db import make_engine


def run(engine, fn, *args):
    config = alembic_config()
    config.attributes["configure_logger"] = False
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        fn(config, *args)


def test_models_and_migrations_agree(databases):
    engine = make_engine(databases.fresh())
    run(engine, command.check)  # raises when autogenerate would find a difference
    engine.dispose()


def schema(engine) -> dict[str, tuple[list[str], list[str]]]:
    """Each table's columns and index names: what a migration step adds or takes away."""
    inspector = inspect(engine)
    return {
        table: (
            sorted(c["name"] for c in inspector.get_columns(table)),
            sorted(str(i["name"]) for i in inspector.get_indexes(table)),
        )
        for table in inspector.get_table_names()
    }


def test_every_migration_downgrades_one_step_and_upgrades_again(databases):
    engine = make_engine(databases.fresh())
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, "one linear history"
    full = schema(engine)
    run(engine, command.downgrade, "-1")
    assert schema(engine) != full, "the last migration's downgrade changed nothing"
    run(engine, command.upgrade, "head")
    assert schema(engine) == full
    run(engine, command.downgrade, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    run(engine, command.upgrade, "head")
    engine.dispose()

"""Migrations: the scripts ship inside the package and build exactly the schema the tables declare."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import bastion.store
from bastion.store.database import open_engine
from bastion.store.migration import SCRIPT_LOCATION, head_revision, head_revisions
from bastion.store.tables import Base
from bastion.store.url import resolve_url


def test_scripts_live_inside_the_package() -> None:
    assert (SCRIPT_LOCATION / "env.py").is_file()
    assert (SCRIPT_LOCATION / "script.py.mako").is_file()
    assert (SCRIPT_LOCATION / "versions" / "0001_initial.py").is_file()
    assert head_revision()


def test_heads_read_from_the_scripts_match_alembic() -> None:
    """The fast path that skips importing Alembic must agree with Alembic on what the heads are."""
    assert head_revisions() == head_revision()


def test_opening_a_current_store_does_not_import_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys\nfrom pathlib import Path\nfrom bastion.store import open_store\n"
        f"root = Path({str(tmp_path)!r})\n"
        "with open_store(None, root): pass\n"
        "for name in [m for m in sys.modules if m.startswith('alembic')]: del sys.modules[name]\n"
        "with open_store(None, root): pass\n"
        "print(any(m.startswith('alembic') for m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False", done.stderr


def test_migrated_schema_matches_the_tables(store_url: str, tmp_path: Path) -> None:
    """Autogenerate finds nothing to do: a change to a table without a migration fails here."""
    # Every module of the package that declares tables on ``Base`` (``tables.py`` and any added since).
    for module in pkgutil.iter_modules(bastion.store.__path__, "bastion.store."):
        importlib.import_module(module.name)
    engine = open_engine(resolve_url(store_url, tmp_path))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()

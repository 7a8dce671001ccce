"""Reading a ``postgresql://USER@HOST:PORT/DB`` address, without ever keeping a password.

The password comes from where libpq looks for it (``PGPASSWORD``, ``~/.pgpass``,
or the window asking); an address carrying one is refused, because addresses are
kept in the recent-projects list and shown in titles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from briefing.store.errors import ProjectError

SCHEMES = ("postgresql://", "postgres://")

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_$-]{0,62}$")


def is_server_address(target: object) -> bool:
    """Whether ``target`` names a database on a server rather than a project file."""
    return isinstance(target, str) and target.lower().startswith(SCHEMES)


@dataclass(frozen=True)
class ServerAddress:
    """Where a team project lives: user, host, port and database (never a password)."""

    user: str
    host: str
    port: int
    database: str
    query: str = ""

    @classmethod
    def parse(cls, text: str) -> ServerAddress:
        parts = urlsplit(text.strip())
        try:
            port = parts.port or 5432
        except ValueError:
            raise ProjectError(f"{text} has a port that is not a number.") from None
        if parts.password is not None:
            raise ProjectError(
                "A server address must not hold a password; "
                "put it in PGPASSWORD or ~/.pgpass instead."
            )
        database = unquote(parts.path.lstrip("/"))
        if not database or "/" in database:
            raise ProjectError(
                f"{_without_password(text)} names no database; "
                "write postgresql://USER@HOST:PORT/DATABASE."
            )
        if not _NAME.match(database):
            raise ProjectError(
                f"{database!r} is not a database name this program uses; "
                "use letters, digits and underscores."
            )
        return cls(unquote(parts.username or ""), unquote(parts.hostname or ""), port, database,
                   parts.query)  # fmt: skip

    @property
    def text(self) -> str:
        """The address as a user writes it (what the recent list and titles show)."""
        user = f"{self.user}@" if self.user else ""
        host = self.host if ":" not in self.host else f"[{self.host}]"
        query = f"?{self.query}" if self.query else ""
        return f"postgresql://{user}{host}:{self.port}/{self.database}{query}"

    @property
    def where(self) -> str:
        """The server, for sentences: ``HOST:PORT``."""
        return f"{self.host or 'localhost'}:{self.port}"

    @property
    def sqlalchemy_url(self) -> str:
        return self.text.replace("postgresql://", "postgresql+psycopg://", 1)

    def __str__(self) -> str:
        return self.text


def _without_password(text: str) -> str:
    return re.sub(r"//([^:@/]*):[^@/]*@", r"//\1@", text)

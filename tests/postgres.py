"""A throw-away PostgreSQL server for the tests, started once per run when it is installed.

The server lives in a private temporary folder (``initdb --auth=trust``, run as
the ``postgres`` user when the tests run as root, since PostgreSQL refuses to run
as root) and listens on a free port of 127.0.0.1. Each test gets a fresh database
copied from a template (``CREATE DATABASE ... TEMPLATE``), which takes a few
milliseconds instead of running the migrations again.

A run writes its process id (and that process's start time, against reuse of the id)
into the folder; a run starting stops the servers of runs that are gone (interrupted
before their end, which would otherwise keep running and slow the machine), and
leaves alone every folder whose owner is alive or unknown. A run stops its own server
when it ends, and at exit should the fixture's end not run.

Fixtures: ``postgres`` (the server, or a skip saying why there is none),
``server_address`` (a new empty project database), ``server_demo_address`` (a new
database holding the demo project).
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

SUPERUSER = "postgres"
PASSWORD_GROUP = "guarded"
"""Members of this role must give a password (for the tests of a refused password)."""
EMPTY_TEMPLATE = "briefing_empty"
DEMO_TEMPLATE = "briefing_demo"
FOLDER_PREFIX = "briefing-pg-"
OWNER_FILE = "owner"
"""In a server's folder: ``<pid> <start time>`` of the test process that started it."""


def find_binaries() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``: $PG_BINDIR, the PATH, or Debian's place."""
    candidates = [os.environ.get("PG_BINDIR", "")]
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(initdb).parent))
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if folder and (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A running throw-away server; ``address(db)`` names one of its databases."""

    bindir: Path
    folder: Path
    port: int
    run_as: str | None
    _numbers: Iterator[int] = field(default_factory=itertools.count)

    def address(self, database: str, user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def _command(self, *args: str) -> list[str]:
        prefix = ["runuser", "-u", self.run_as, "--"] if self.run_as else []
        return [*prefix, *args]

    def start(self) -> None:
        data = self.folder / "data"
        subprocess.run(
            self._command(
                str(self.bindir / "initdb"),
                "-D", str(data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                "--locale=C.UTF-8", "--no-sync",
            ),
            check=True, capture_output=True,
        )  # fmt: skip
        self._write_hba(data)
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} "
            f"-c unix_socket_directories={self.folder} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            self._command(
                str(self.bindir / "pg_ctl"), "-D", str(data), "-o", options, "-w",
                "-l", str(self.folder / "server.log"), "start",
            ),
            check=True, capture_output=True,
        )  # fmt: skip
        self.execute(f"CREATE ROLE {PASSWORD_GROUP} NOLOGIN")

    def _write_hba(self, data: Path) -> None:
        """Trust every login but those of :data:`PASSWORD_USER`, which must give a password."""
        hba = data / "pg_hba.conf"
        hba.write_text(
            f"host all +{PASSWORD_GROUP} 127.0.0.1/32 scram-sha-256\n"
            "local all all trust\nhost all all 127.0.0.1/32 trust\n",
            encoding="utf-8",
        )
        if self.run_as:
            shutil.chown(hba, self.run_as)

    def stop(self) -> None:
        """Stop the server and remove its folder (again: nothing)."""
        if not self.folder.exists():
            return
        pid = _postmaster(self.folder)
        subprocess.run(
            self._command(
                str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate",
                "stop",
            ),
            capture_output=True,
        )  # fmt: skip
        _wait_gone(pid)
        shutil.rmtree(self.folder, ignore_errors=True)

    def password_role(self, password: str) -> str:
        """A new login role the server asks ``password`` of; returns its name."""
        name = f"{PASSWORD_GROUP}_{next(self._numbers)}"
        self.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{password}' IN ROLE {PASSWORD_GROUP}")
        return name

    def execute(self, sql: str) -> None:
        """Run one statement as the superuser in the ``postgres`` database (autocommit)."""
        import psycopg

        with psycopg.connect(self.address("postgres"), autocommit=True) as connection:
            connection.execute(sql)  # type: ignore[arg-type]

    def new_database(self, template: str | None = None, prefix: str = "test") -> str:
        """A new database (empty, or a copy of ``template``); returns its address."""
        name = f"{prefix}_{os.getpid()}_{next(self._numbers)}"
        suffix = f" TEMPLATE {template}" if template else ""
        self.execute(f"CREATE DATABASE {name}{suffix}")
        return self.address(name)

    def make_template(self, name: str, build: Callable[[str], None]) -> None:
        """Build a database with ``build(address)`` once, then mark it as a template."""
        self.execute(f"CREATE DATABASE {name}")
        build(self.address(name))
        self.execute(f"ALTER DATABASE {name} WITH is_template = true")


def _postmaster(folder: Path) -> int | None:
    """The process id of the server running in ``folder``, from its pid file."""
    try:
        return int((folder / "data" / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs (an exited one not yet reaped does not)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return False
    return "\nState:\tZ" not in status


def _wait_gone(pid: int | None) -> None:
    """Wait (a bounded while) for a stopped server's process to have ended."""
    for _ in range(300):
        if pid is None or not _alive(pid):
            return
        time.sleep(0.1)


def _started_at(pid: int) -> str:
    """When process ``pid`` started (clock ticks since boot), or "" if unknown or gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return ""
    return stat.rsplit(")", 1)[1].split()[19]


def owner_alive(folder: Path) -> bool | None:
    """Whether the test process that started the server in ``folder`` still runs (None: unknown)."""
    try:
        pid_text, started = (folder / OWNER_FILE).read_text(encoding="ascii").split()
        pid = int(pid_text)
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return _started_at(pid) in ("", started)


def sweep_stale_servers() -> list[Path]:
    """Stop the servers of test runs that are gone, and remove their folders; returns them."""
    bindir = find_binaries()
    stopped = []
    for name in sorted(glob.glob(os.path.join(tempfile.gettempdir(), f"{FOLDER_PREFIX}*"))):
        folder = Path(name)
        if owner_alive(folder) is not False:
            continue
        run_as = SUPERUSER if os.geteuid() == 0 and folder.stat().st_uid != 0 else None
        if bindir is not None and (folder / "data" / "postmaster.pid").exists():
            Server(bindir, folder, 0, run_as).stop()
        shutil.rmtree(folder, ignore_errors=True)
        stopped.append(folder)
    return stopped


def start_server() -> Server | str:
    """Start a server, or say in one sentence why there is none."""
    bindir = find_binaries()
    if bindir is None:
        return "PostgreSQL is not installed (no initdb found); server tests skipped"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed; server tests skipped"
    run_as = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run the server as"
        run_as = "postgres"
    folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
    me = os.getpid()
    (folder / OWNER_FILE).write_text(f"{me} {_started_at(me)}\n", encoding="ascii")
    if run_as:
        shutil.chown(folder, run_as)
    server = Server(bindir, folder, _free_port(), run_as)
    try:
        server.start()
    except subprocess.CalledProcessError as error:
        server.stop()
        detail = (error.stderr or b"").decode(errors="replace").strip().splitlines()
        return f"PostgreSQL did not start: {detail[-1] if detail else error}"
    return server


@pytest.fixture(scope="session")
def postgres() -> Iterator[Server]:
    """The session's throw-away server (skips the test when PostgreSQL is not installed)."""
    sweep_stale_servers()
    server = start_server()
    if isinstance(server, str):
        if os.environ.get("BRIEFING_REQUIRE_POSTGRES"):
            pytest.fail(server)
        pytest.skip(server)
    atexit.register(server.stop)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def server_templates(postgres: Server) -> Server:
    """The server with an empty project and the demo project as templates."""
    from briefing.services.demo import create_demo_project
    from briefing.store import create_project

    postgres.make_template(EMPTY_TEMPLATE, lambda a: create_project(a, "Template").close())
    postgres.make_template(DEMO_TEMPLATE, lambda a: create_demo_project(a, "Template").close())
    return postgres


@pytest.fixture
def server_address(server_templates: Server) -> str:
    """The address of a new, empty project database."""
    return server_templates.new_database(EMPTY_TEMPLATE)


@pytest.fixture
def server_demo_address(server_templates: Server) -> str:
    """The address of a new database holding the demo project."""
    return server_templates.new_database(DEMO_TEMPLATE)


@pytest.fixture
def blank_database(postgres: Server) -> str:
    """The address of a new database with nothing in it (not a project)."""
    return postgres.new_database(prefix="blank")


BACKENDS = ("file", "server")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each test using it runs twice: on a project file and on a server."""
    return str(request.param)


@pytest.fixture
def demo_target(backend: str, request: pytest.FixtureRequest) -> Path | str:
    """The demo project on the back end under test: a file path or a server address."""
    if backend == "server":
        return str(request.getfixturevalue("server_demo_address"))
    return Path(request.getfixturevalue("demo_path"))


@pytest.fixture
def empty_target(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """An empty project on the back end under test (a new file, or a new database)."""
    if backend == "server":
        return str(request.getfixturevalue("server_address"))
    from briefing.store import create_project

    path = tmp_path / "empty.brief"
    create_project(path, "Test analyst").close()
    return path


@pytest.fixture
def demo_store(demo_target: Path | str) -> Iterator[Any]:
    """The demo project, open for writing, on the back end under test."""
    from briefing.store import open_project

    project = open_project(demo_target, "Test analyst")
    yield project
    project.close()


@pytest.fixture(name="demo_project")
def demo_project_on_both_back_ends(demo_store: Any) -> Any:
    """Imported by a test module, runs its ``demo_project`` tests on a file and on a server."""
    return demo_store

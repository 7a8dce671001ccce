"""The ids of a long list, queried on a worker thread and handed to the list in chunks.

A list shows its first rows at once (:class:`~briefing.gui.library.model.LibraryModel`);
the rest of a million ids took the window's thread seconds to query. Here a worker
thread runs the same query on its own read-only connection, to the file or to the
team's server (the same login, so the server hides the same records), and the
window appends the ids a chunk per turn of its event loop, so the list and its
count grow while the window answers. The project's own connection is never used
off the window's thread.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from sqlalchemy.exc import DBAPIError

from briefing.services import library_query as query
from briefing.services.library_query import ListFilter
from briefing.store.errors import ProjectError
from briefing.store.verify import open_read_only


class IdLoader(QObject):
    """Runs one query of ids on a worker thread; ``done(ids)`` arrives on the window's thread.

    ``done`` carries None when the query failed (the file went away, or was locked
    longer than SQLite waits, or the server did not answer): the list then asks again
    on its own thread.
    """

    done = Signal(object)
    _finished = Signal(object)

    def __init__(
        self,
        project: Any,
        kind: str,
        chosen: ListFilter,
        sort_key: str,
        descending: bool,
        receive: Callable[[list[int] | None], None],
    ) -> None:
        super().__init__()
        self._arguments = (kind, chosen, sort_key, descending)
        self._project = project
        """The open project (file or server), or the path of a project file."""
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.done.connect(receive)
        self._thread = threading.Thread(target=self._run, name="library-ids", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def running(self) -> bool:
        """True until the worker thread has ended; keep the loader until then.

        A QObject must not be destroyed on another thread than its own: the list
        holds every loader until its thread is over, then drops it on its own thread.
        """
        return self._thread.is_alive()

    def _run(self) -> None:
        ids: list[int] | None = None
        try:
            ids = self._query()
        except (sqlite3.Error, OSError, ProjectError, DBAPIError):
            ids = None
        try:
            self._finished.emit(ids)
        except RuntimeError:  # the list went away meanwhile
            pass

    def _query(self) -> list[int]:
        if getattr(self._project, "is_server", False):
            with self._project.reading() as connection:
                return query.ordered_ids(connection, *self._arguments)
        connection = open_read_only(Path(getattr(self._project, "path", self._project)))
        try:
            return query.ordered_ids_of(connection, *self._arguments)
        finally:
            connection.close()

    @Slot(object)
    def _deliver(self, ids: list[int] | None) -> None:
        self._thread.join()  # the emit was its last step: it ends at once
        self.done.emit(ids)

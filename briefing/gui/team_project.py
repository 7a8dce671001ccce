"""Team projects in the window: File ▸ Open Team Project…, the password, and live changes.

A team project lives on a PostgreSQL server, addressed as
``postgresql://USER@HOST:PORT/DB``. The password is asked for in a dialog only
when the server wants one (and none is in ``PGPASSWORD`` or ``~/.pgpass``); it
stays in memory with the open project and is never written to the settings,
which remember the addresses alone.

Other analysts' commits arrive as server notifications on a connection of
their own (:class:`briefing.store.pg_notify.ChangeListener`); :class:`ChangeWatch`
wakes the window on that connection's socket, so their changes show within a
moment, through the same refresh that notices another program writing a file.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from briefing.errors import BriefingError
from briefing.gui.document import ProjectDocument
from briefing.gui.settings import AppSettings
from briefing.store import open_project
from briefing.store.server.address import ServerAddress, is_server_address

RECENT_KEY = "team/recent"
RECENT_LIMIT = 8
EXAMPLE = "postgresql://you@server:5432/project"


def recent_addresses(settings: AppSettings) -> list[str]:
    value = settings.qsettings.value(RECENT_KEY, [])
    names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [str(n) for n in names if is_server_address(str(n))]


def add_recent_address(settings: AppSettings, address: str) -> None:
    """Remember an address (it holds no password: :class:`ServerAddress` refuses one)."""
    kept = [a for a in recent_addresses(settings) if a != address]
    settings.qsettings.setValue(RECENT_KEY, [address, *kept][:RECENT_LIMIT])


class OpenTeamDialog(QDialog):
    """Asks for the address of a team project, offering the recent ones."""

    def __init__(self, recent: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open Team Project")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "The address of the project's database on your team's PostgreSQL server. "
            "If the server asks for a password, you will be asked for it next; "
            "it is never saved."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        label = QLabel("&Address:")
        layout.addWidget(label)
        self.address = QComboBox()
        self.address.setEditable(True)
        self.address.addItems(recent)
        self.address.setCurrentText(recent[0] if recent else "")
        line = self.address.lineEdit()
        assert line is not None
        line.setPlaceholderText(EXAMPLE)
        label.setBuddy(self.address)
        layout.addWidget(self.address)
        self.problem = QLabel()
        self.problem.setObjectName("fieldError")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.chosen = ""

    def _check(self) -> None:
        text = self.address.currentText().strip()
        if not is_server_address(text):
            self.problem.setText(f"Write the address as {EXAMPLE}.")
            return
        try:
            self.chosen = ServerAddress.parse(text).text
        except BriefingError as error:
            self.problem.setText(str(error))
            return
        self.accept()


def ask_address(parent: QWidget, recent: list[str]) -> str | None:
    dialog = OpenTeamDialog(recent, parent)
    return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_password(parent: QWidget, address: ServerAddress) -> str | None:
    """The password for ``address``, typed into a masked field; None if cancelled."""
    who = address.user or "you"
    text, accepted = QInputDialog.getText(
        parent,
        "Password",
        f"Password of {who} on {address.where}:",
        QLineEdit.EchoMode.Password,
    )
    return text if accepted and text else None


def _wants_password(error: BriefingError) -> bool:
    return "asks a password" in str(error) or "refused the password" in str(error)


def open_team_project(parent: QWidget, address: str) -> Any:
    """Open a team project, asking for a password when the server wants one.

    The analyst is the login role: the name the server's clearances know, and
    the one other analysts see on the records it changes. Raises
    :class:`BriefingError` with one sentence when it cannot be opened; returns
    None when the user cancelled the password.
    """
    try:
        return open_project(address, "")
    except BriefingError as error:
        if not _wants_password(error):
            raise
    while True:
        password = ask_password(parent, ServerAddress.parse(address))
        if password is None:
            return None
        try:
            return open_project(address, "", password=password)
        except BriefingError as error:
            if not _wants_password(error):
                raise


def role_of(project: Any) -> str:
    """The role this window works as on the server."""
    return getattr(project, "role", "") or ServerAddress.parse(project.address).user or "?"


def title_note(project: Any) -> str:
    """For the window title, beside ``DB on HOST:PORT``: ``team project, you are ROLE``."""
    return f"team project, you are {role_of(project)}"


def status_note(project: Any) -> str:
    """For the status bar: ``Team project on HOST:PORT · you are ROLE``."""
    where = ServerAddress.parse(project.address).where
    return f"Team project on {where} · you are {role_of(project)}"


class ChangeWatch(QObject):
    """Refreshes the window as soon as the server announces another analyst's commit."""

    def __init__(self, document: ProjectDocument) -> None:
        super().__init__(document)
        listener = document.project.listen()
        self._document = document
        self._notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_ready, Qt.ConnectionType.QueuedConnection)

    def _on_ready(self) -> None:
        if self._document.project.closed:
            self._notifier.setEnabled(False)
            return
        self._document.check_external_changes()

    def stop(self) -> None:
        self._notifier.setEnabled(False)

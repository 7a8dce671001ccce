"""The main window's menu bar, laid out in one place once every part has made its actions.

The window, the record actions, the PDF export and the sharing commands each
create their own actions (and keep them, for enabling and tests); this module
only decides where each one stands in the menus.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from briefing.gui.main_window import MainWindow

Group = list[QAction]


def _add_groups(menu: QMenu, groups: list[Group]) -> None:
    """Actions in groups, with a separator between groups."""
    for number, group in enumerate(groups):
        if number:
            menu.addSeparator()
        menu.addActions(group)


def build_menus(window: MainWindow) -> None:
    """File, Edit, Record, View and Help, with the actions a desktop user looks for there."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addActions([window.new_action, window.open_action, window.open_team_action])
    file_menu.addMenu(window.recent_menu)
    sharing, exchange = window.sharing, window.exchange
    export_menu = QMenu("E&xport", file_menu)
    export_menu.addActions([exchange.stix_export_action, exchange.misp_export_action])
    saving = [
        window.save_as_action,
        sharing.share_action,
        window.export_pdf_action,
        window.export_word_action,
    ]
    _add_groups(
        file_menu,
        [
            [window.demo_action],
            [*saving, export_menu.menuAction()],
            [sharing.merge_action, sharing.import_action, exchange.stix_import_action],
            [window.close_action],
            [window.quit_action],
        ],
    )
    edit_menu = bar.addMenu("&Edit")
    _add_groups(edit_menu, [[window.undo_action, window.redo_action], [window.find_action]])
    records = window.records
    record_menu = bar.addMenu("&Record")
    _add_groups(
        record_menu,
        [records.new_actions, [window.add_to_briefing_action, records.delete_action]],
    )
    briefing_menu = bar.addMenu("&Briefing")
    briefing_menu.aboutToShow.connect(lambda: fill_briefing_menu(window))
    window.briefing_menu = briefing_menu
    view_menu = bar.addMenu("&View")
    _add_groups(
        view_menu,
        [
            window.tab_actions,
            [window.library_dock.toggleViewAction(), window.inspector_dock.toggleViewAction()],
            [window.refresh_action, window.refresh_preview_action],
            window.text_zoom.actions,
        ],
    )
    help_menu = bar.addMenu("&Help")
    _add_groups(
        help_menu, [[window.shortcuts_action], [window.about_action, window.about_qt_action]]
    )


def fill_briefing_menu(window: MainWindow) -> None:
    """The open briefing's own commands (sections and items: add, remove, move up/down).

    They belong to the composer of the open project, so the menu is filled when shown.
    """
    menu = window.briefing_menu
    menu.clear()
    composer = window.composer
    if composer is None:
        menu.addAction("No project open").setEnabled(False)
        return
    _add_groups(
        menu,
        [
            [composer.new_action, composer.delete_action],
            [composer.add_section_action, composer.remove_action],
            [composer.move_up_action, composer.move_down_action],
        ],
    )

"""Fast checks of the packaging files; building the bundle is packaging/smoke_test.sh's job."""

from __future__ import annotations

import configparser
import os
import shutil
import struct
import subprocess
import sys
import types
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from briefing.resources import resources_dir
from briefing.store.schema import APPLICATION_ID

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
LINUX = PACKAGING / "linux"
APP_ID = "io.github.conflictbriefing.ConflictBriefing"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
MIME = LINUX / f"{APP_ID}.xml"
ICONS = ROOT / "resources" / "icons"
MIME_NS = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512]


def needs(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed")


# ---------------------------------------------------------------------------- desktop files


@pytest.mark.parametrize(
    ("tool", "args", "path"),
    [
        ("desktop-file-validate", [], DESKTOP),
        ("appstreamcli", ["validate", "--no-net"], METAINFO),
        ("xmllint", ["--noout"], MIME),
    ],
)
def test_desktop_files_validate(tool: str, args: list[str], path: Path) -> None:
    needs(tool)
    result = subprocess.run([tool, *args, str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_desktop_entry_opens_brief_files_in_the_editor() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(DESKTOP, encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Exec"] == "briefing gui %f"
    assert "application/x-conflict-briefing" in section["MimeType"].split(";")
    assert section["Icon"] == APP_ID


def test_metainfo_names_the_desktop_entry_and_file_type() -> None:
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == DESKTOP.name
    assert component.findtext("provides/mediatype") == "application/x-conflict-briefing"


def test_mime_type_matches_glob_and_magic_of_a_real_project(demo_path: Path) -> None:
    mime_type = ET.parse(MIME).getroot().find("m:mime-type", MIME_NS)
    assert mime_type is not None
    assert mime_type.get("type") == "application/x-conflict-briefing"
    assert mime_type.find("m:glob", MIME_NS).get("pattern") == "*" + demo_path.suffix
    outer = mime_type.find("m:magic/m:match", MIME_NS)
    inner = outer.find("m:match", MIME_NS)
    header = demo_path.read_bytes()[:100]
    signature = outer.get("value").replace("\\000", "\0").encode()
    assert header[int(outer.get("offset")) :].startswith(signature)
    assert inner.get("type") == "big32"
    assert int(inner.get("value"), 16) == APPLICATION_ID
    offset = int(inner.get("offset"))
    assert struct.unpack(">I", header[offset : offset + 4])[0] == APPLICATION_ID


# ---------------------------------------------------------------------------- icons


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("size", ICON_SIZES)
def test_icon_png_has_its_size(size: int) -> None:
    assert png_size(ICONS / f"conflict-briefing-{size}.png") == (size, size)


def test_windows_icon_holds_the_small_and_large_sizes() -> None:
    data = (ICONS / "conflict-briefing.ico").read_bytes()
    _, kind, count = struct.unpack("<HHH", data[:6])
    sizes = {data[6 + 16 * i] or 256 for i in range(count)}
    assert kind == 1
    assert {16, 32, 48, 256} <= sizes


def test_icon_svg_is_square() -> None:
    svg = ET.parse(ICONS / "conflict-briefing.svg").getroot()
    _, _, width, height = svg.get("viewBox").split()
    assert width == height


# ---------------------------------------------------------------------------- the spec


class Recorder:
    """Stands in for one of PyInstaller's spec classes and keeps what it was given."""

    calls: list[tuple[str, tuple, dict]]

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, *args: object, **kwargs: object) -> types.SimpleNamespace:
        Recorder.calls.append((self.name, args, kwargs))
        return types.SimpleNamespace(
            **{"pure": [], "scripts": [], "binaries": [], "datas": [], **kwargs}
        )


def run_spec(monkeypatch: pytest.MonkeyPatch, platform: str, dist: Path) -> dict[str, list[tuple]]:
    """Execute the spec with recording stand-ins, building into dist; returns the calls."""
    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_data_files = lambda package, **options: []  # type: ignore[attr-defined]
    for name in ("PyInstaller", "PyInstaller.utils"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    monkeypatch.setattr(sys, "platform", platform)
    Recorder.calls = []
    names = ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")
    namespace = {
        "SPECPATH": str(PACKAGING),
        "DISTPATH": str(dist),
        **{name: Recorder(name) for name in names},
    }
    spec = PACKAGING / "conflict-briefing.spec"
    exec(compile(spec.read_text(encoding="utf-8"), str(spec), "exec"), namespace)
    calls: dict[str, list[tuple]] = {name: [] for name in names}
    for name, args, kwargs in Recorder.calls:
        calls[name].append((args, kwargs))
    return calls


@pytest.fixture
def linux_spec(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, list[tuple]]:
    return run_spec(monkeypatch, "linux", tmp_path)


def test_spec_ships_every_file_it_names(linux_spec: dict[str, list[tuple]]) -> None:
    (args, analysis), *_ = linux_spec["Analysis"]
    assert all(Path(script).is_file() for script in args[0])
    assert all(Path(source).is_file() for source, _ in analysis["datas"])


@pytest.mark.parametrize(
    ("source", "folder"),
    [
        ("resources/fonts/DejaVuSans.ttf", "resources/fonts"),
        ("resources/icons/conflict-briefing.svg", "resources/icons"),
        ("briefing/store/migrations/env.py", "briefing/store/migrations"),
        (
            "briefing/store/migrations/versions/0001_initial_schema.py",
            "briefing/store/migrations/versions",
        ),
        ("briefing/store/schemas/v1.json", "briefing/store/schemas"),
    ],
)
def test_spec_ships_runtime_files_where_the_code_looks(
    linux_spec: dict[str, list[tuple]], source: str, folder: str
) -> None:
    (_, analysis), *_ = linux_spec["Analysis"]
    assert (str(ROOT / source), folder) in analysis["datas"]
    assert not any("__pycache__" in source for source, _ in analysis["datas"])


def test_spec_imports_what_migrations_need_and_leaves_out_unused_qt(
    linux_spec: dict[str, list[tuple]],
) -> None:
    (_, analysis), *_ = linux_spec["Analysis"]
    assert {"alembic.op", "sqlalchemy", "briefing.model", "tzdata"} <= set(
        analysis["hiddenimports"]
    )
    assert {"PySide6.QtWebEngineCore", "PySide6.QtQml", "PySide6.Qt3DCore"} <= set(
        analysis["excludes"]
    )
    used = {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtSvg"}
    assert not used & set(analysis["excludes"])


@pytest.mark.parametrize(
    ("platform", "consoles"),
    [("linux", [True]), ("win32", [True, False]), ("darwin", [False])],
)
def test_spec_executables_per_system(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, platform: str, consoles: list[bool]
) -> None:
    calls = run_spec(monkeypatch, platform, tmp_path)
    assert [kwargs["console"] for _, kwargs in calls["EXE"]] == consoles
    assert calls["EXE"][0][1]["name"] == "briefing"
    for _, kwargs in calls["EXE"]:
        assert kwargs["icon"] is None or Path(kwargs["icon"]).is_file()
    assert calls["COLLECT"][0][1]["name"] == "conflict-briefing"
    shipped_installer = tmp_path / "conflict-briefing" / "linux" / "install.sh"
    assert shipped_installer.is_file() == (platform == "linux")


def test_spec_makes_the_mac_app_the_owner_of_brief_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (_, bundle), *_ = run_spec(monkeypatch, "darwin", tmp_path)["BUNDLE"]
    plist = bundle["info_plist"]
    declared = plist["UTExportedTypeDeclarations"][0]
    assert declared["UTTypeTagSpecification"]["public.filename-extension"] == ["brief"]
    assert plist["CFBundleDocumentTypes"][0]["LSItemContentTypes"] == [declared["UTTypeIdentifier"]]


def test_resources_are_found_where_the_spec_puts_them_in_a_bundle(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "resources" / "fonts").mkdir(parents=True)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources_dir() == tmp_path / "resources"


# ---------------------------------------------------------------------------- install.sh


@pytest.fixture
def fake_bundle(tmp_path: Path) -> Path:
    """A bundle folder holding a stand-in executable and the real icons."""
    bundle = tmp_path / "bundle"
    shutil.copytree(ICONS, bundle / "_internal" / "resources" / "icons")
    program = bundle / "briefing"
    program.write_text("#!/bin/sh\necho stand-in\n")
    program.chmod(0o755)
    return bundle


def run_install(script: Path, prefix: Path, *args: str, bundle: Path | None = None) -> None:
    env = {
        **os.environ,
        "PREFIX": str(prefix),
        "HOME": str(prefix.parent),
        "XDG_DATA_HOME": str(prefix / "share"),
        "XDG_CONFIG_HOME": str(prefix.parent / ".config"),
    }
    env.pop("BUNDLE", None)
    if bundle is not None:
        env["BUNDLE"] = str(bundle)
    subprocess.run(["bash", str(script), *args], env=env, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_install_puts_a_launchable_entry_in_the_menu_and_uninstall_removes_it(
    fake_bundle: Path, tmp_path: Path
) -> None:
    prefix = tmp_path / "prefix"
    run_install(LINUX / "install.sh", prefix, bundle=fake_bundle)
    program = prefix / "bin" / "briefing"
    entry = (prefix / "share" / "applications" / DESKTOP.name).read_text(encoding="utf-8")
    assert f"Exec={program} gui %f" in entry.splitlines()
    assert subprocess.run([program], capture_output=True, text=True).stdout == "stand-in\n"
    icons = prefix / "share" / "icons" / "hicolor"
    assert png_size(icons / "48x48" / "apps" / f"{APP_ID}.png") == (48, 48)
    assert (icons / "scalable" / "mimetypes" / "application-x-conflict-briefing.svg").is_file()
    assert (prefix / "share" / "mime" / "packages" / MIME.name).is_file()

    run_install(LINUX / "install.sh", prefix, "--uninstall")
    assert not program.exists() and not (prefix / "lib" / "conflict-briefing").exists()
    assert not (prefix / "share" / "applications" / DESKTOP.name).exists()
    assert not list(icons.rglob("*.png"))


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_install_from_a_copy_of_the_bundle_and_again_from_the_installed_copy(
    fake_bundle: Path, tmp_path: Path
) -> None:
    shutil.copytree(LINUX, fake_bundle / "linux")
    prefix = tmp_path / "prefix"
    run_install(fake_bundle / "linux" / "install.sh", prefix)
    installed = prefix / "lib" / "conflict-briefing"
    run_install(installed / "linux" / "install.sh", prefix)
    assert (installed / "briefing").is_file()
    assert (installed / "_internal" / "resources" / "icons" / "conflict-briefing.svg").is_file()
    assert (prefix / "share" / "applications" / DESKTOP.name).is_file()

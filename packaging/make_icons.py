"""Render the application icon for desktops and installers from its SVG source.

    .venv/bin/python packaging/make_icons.py          # (re)write the files below
    .venv/bin/python packaging/make_icons.py --check  # exit 1 if any is missing or stale

Source: ``resources/icons/app.svg`` (the icon the app itself uses for its
windows), so the launcher, the tray and the windows show the same picture.
Outputs, all committed so that packaging needs no renderer:

* ``packaging/icons/hicolor/<n>x<n>/apps/<APP_ID>.png`` for the sizes in
  :data:`SIZES` (the freedesktop icon theme sizes desktops ask for: menus 16-24,
  launchers 32-64, app stores and HiDPI 128-512),
* ``packaging/icons/hicolor/scalable/apps/<APP_ID>.svg`` (a copy of the source),
* ``packaging/icons/timecrowd-tray.ico`` (Windows: 16-256, PNG-compressed
  entries, which Windows Vista and later read) and
  ``packaging/icons/timecrowd-tray.icns`` (macOS: 16-1024, PNG entries), both
  used by the PyInstaller spec.

Rendering uses Qt's own SVG renderer on the offscreen platform, so it runs on a
machine without a display and needs nothing beyond the app's dependencies.
PNGs are written by Qt without timestamps or other varying metadata, so
re-running on the same Qt version gives the same bytes.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "icons" / "app.svg"
OUT = ROOT / "packaging" / "icons"
APP_ID = "net.timecrowd.TimeCrowdTray"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, by pixel size (Apple's "icp4".."ic10").
ICNS_TYPES = ((16, b"icp4"), (32, b"icp5"), (64, b"icp6"), (128, b"ic07"),
              (256, b"ic08"), (512, b"ic09"), (1024, b"ic10"))


def png_path(size: int) -> Path:
    return OUT / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def svg_path() -> Path:
    return OUT / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"


def render_all(source: Path) -> dict[int, bytes]:
    """PNG bytes of ``source`` at every size any output needs."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # noqa: F841 - keeps Qt alive
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: cannot render {source}")
    out: dict[int, bytes] = {}
    for size in sorted({*SIZES, *ICO_SIZES, *(s for s, _ in ICNS_TYPES)}):
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.convertToFormat(QImage.Format.Format_ARGB32).save(buffer, "PNG"):
            raise SystemExit(f"make_icons: Qt could not encode a {size}px PNG")
        buffer.close()
        out[size] = bytes(data.data())
    return out


def build_ico(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico whose entries are PNG images (width/height 0 means 256)."""
    header = struct.pack("<HHH", 0, 1, len(ICO_SIZES))
    offset = len(header) + 16 * len(ICO_SIZES)
    entries, blobs = b"", b""
    for size in ICO_SIZES:
        blob = pngs[size]
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
        blobs += blob
    return header + entries + blobs


def build_icns(pngs: dict[int, bytes]) -> bytes:
    body = b"".join(kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
                    for size, kind in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def expected_outputs(source: Path) -> dict[Path, bytes]:
    pngs = render_all(source)
    files = {png_path(size): pngs[size] for size in SIZES}
    files[svg_path()] = source.read_bytes()
    files[OUT / "timecrowd-tray.ico"] = build_ico(pngs)
    files[OUT / "timecrowd-tray.icns"] = build_icns(pngs)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help=f"SVG to render (default: {SOURCE})")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when an output is missing or differs")
    args = parser.parse_args(argv)
    if not args.source.is_file():
        print(f"make_icons: no icon source at {args.source}", file=sys.stderr)
        return 1
    files = expected_outputs(args.source)
    stale = [path for path, data in files.items() if not path.is_file() or path.read_bytes() != data]
    if args.check:
        for path in stale:
            print(f"make_icons: stale or missing: {path.relative_to(ROOT)}")
        print("make_icons: icons are up to date" if not stale else
              "make_icons: run `python packaging/make_icons.py` and commit the result")
        return 1 if stale else 0
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if path in stale:
            path.write_bytes(data)
    print(f"make_icons: {len(stale)} of {len(files)} files written under {OUT.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())

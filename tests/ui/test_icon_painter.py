"""The tray icon: one look per state, drawn per size (no scaling), light and dark panels."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage

from timecrowd_tray.core.models import Task, User
from timecrowd_tray.core.timer import Phase, TimerState
from timecrowd_tray.ui.icon_painter import HIDPI_MAX, SIZES, Badge, IconPainter, IconSpec, Look, spec_for

NOW = datetime(2025, 10, 21, 5, 0, tzinfo=UTC)
TASK = Task(id=1, title="Code review", team_id=14, team_name="株式会社デモ")
USER = User(id=28)


@pytest.fixture
def painter(qapp):
    return IconPainter()


def image_bytes(image: QImage) -> bytes:
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    return bytes(image.constBits())


def opaque_pixels(image: QImage, color: QColor | None = None) -> int:
    count = 0
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if pixel.alpha() > 200 and (color is None or (abs(pixel.red() - color.red()) < 20
                                                          and abs(pixel.green() - color.green()) < 20
                                                          and abs(pixel.blue() - color.blue()) < 20)):
                count += 1
    return count


STATES = {
    "signed_out": IconSpec(Look.SIGNED_OUT),
    "loading": IconSpec(Look.LOADING),
    "idle": IconSpec(Look.IDLE),
    "running": IconSpec(Look.RUNNING, minutes=23),
    "pending": IconSpec(Look.IDLE, Badge.PENDING),
    "offline": IconSpec(Look.IDLE, Badge.OFFLINE),
    "error": IconSpec(Look.IDLE, Badge.ERROR),
    "running_pending": IconSpec(Look.RUNNING, Badge.PENDING, minutes=23),
}


@pytest.mark.parametrize("size", [16, 22, 32, 64])
def test_every_state_looks_different(painter, size):
    images = {name: image_bytes(painter.image(spec, size)) for name, spec in STATES.items()}
    assert len(set(images.values())) == len(images), "two states share a look"
    for name, data in images.items():
        assert any(data), f"{name} is blank"


def test_running_ring_fills_with_the_minutes_of_the_hour(painter):
    white = QColor("#ffffff")
    early = opaque_pixels(painter.image(IconSpec(Look.RUNNING, minutes=5), 48), white)
    late = opaque_pixels(painter.image(IconSpec(Look.RUNNING, minutes=50), 48), white)
    assert late > early * 2
    # the next hour starts an empty ring again (the hours are written in the middle)
    assert image_bytes(painter.image(IconSpec(Look.RUNNING, minutes=60), 22)) != \
        image_bytes(painter.image(IconSpec(Look.RUNNING, minutes=0), 22))


def test_hours_and_minutes_written_where_the_size_allows(painter):
    a = IconSpec(Look.RUNNING, minutes=83)   # 1:23
    b = IconSpec(Look.RUNNING, minutes=143)  # 2:23: same ring, other text
    assert image_bytes(painter.image(a, 48)) != image_bytes(painter.image(b, 48))
    assert image_bytes(painter.image(a, 32)) != image_bytes(painter.image(b, 32))
    assert image_bytes(painter.image(a, 22)) != image_bytes(painter.image(b, 22))  # the hour digit
    # 16 px has no room for text: the ring alone, so the same minutes of the hour look the same
    assert image_bytes(painter.image(a, 16)) == image_bytes(painter.image(b, 16))


def test_each_size_is_painted_not_scaled(painter):
    spec = IconSpec(Look.RUNNING, Badge.PENDING, minutes=83)
    icon = painter.icon(spec)
    available = {s.width() for s in icon.availableSizes()}
    assert set(SIZES) <= available
    for size in SIZES:
        pixmap = icon.pixmap(QSize(size, size), 1.0)
        assert (pixmap.width(), pixmap.height()) == (size, size)
        # exactly the pixels painted for that size: Qt did not scale a neighbour
        assert image_bytes(pixmap.toImage()) == image_bytes(painter.image(spec, size))


def test_hidpi_pixmaps_are_painted_at_device_pixels(painter):
    spec = IconSpec(Look.IDLE)
    icon = painter.icon(spec)
    for size in (16, 22, HIDPI_MAX):
        pixmap = icon.pixmap(QSize(size, size), 2.0)
        assert pixmap.devicePixelRatio() == 2.0
        assert (pixmap.width(), pixmap.height()) == (2 * size, 2 * size)
        assert image_bytes(pixmap.toImage()) == image_bytes(painter.image(spec, size, 2.0))


def test_glyph_follows_the_panel(painter):
    dark = painter.image(IconSpec(Look.IDLE, dark_panel=True), 32)
    light = painter.image(IconSpec(Look.IDLE, dark_panel=False), 32)
    assert opaque_pixels(dark, QColor("#f3f4f6")) > 50   # light glyph on a dark panel
    assert opaque_pixels(light, QColor("#1f2937")) > 50  # dark glyph on a light panel


def test_macos_template_images_for_monochrome_looks(painter):
    assert painter.icon(IconSpec(Look.IDLE, template=True)).isMask()
    assert not painter.icon(IconSpec(Look.RUNNING, minutes=3, template=True)).isMask()
    assert not painter.icon(IconSpec(Look.IDLE)).isMask()


def test_icons_are_cached_per_spec(painter):
    spec = IconSpec(Look.RUNNING, minutes=7)
    painter.icon(spec)
    renders = painter.renders
    painter.icon(spec)
    assert painter.renders == renders


def running_state(**changes) -> TimerState:
    base = TimerState(phase=Phase.RUNNING, user=USER, task=TASK, started_at=NOW - timedelta(minutes=83, seconds=5),
                      entry_id=5, loaded=True)
    return TimerState(**{**{f: getattr(base, f) for f in base.__dataclass_fields__}, **changes})


def test_spec_for_states():
    assert spec_for(TimerState(), NOW).look is Look.SIGNED_OUT
    assert spec_for(TimerState(phase=Phase.LOADING, user=USER), NOW).look is Look.LOADING
    assert spec_for(TimerState(phase=Phase.IDLE, user=USER, loaded=True), NOW).look is Look.IDLE
    running = spec_for(running_state(), NOW)
    assert (running.look, running.minutes, running.badge) == (Look.RUNNING, 83, Badge.NONE)
    assert spec_for(running_state(phase=Phase.STARTING), NOW).look is Look.RUNNING  # optimistic
    assert spec_for(running_state(phase=Phase.STOPPING), NOW).look is Look.IDLE
    assert spec_for(running_state(pending_count=2), NOW).badge is Badge.PENDING
    assert spec_for(running_state(pending_count=2, offline=True), NOW).badge is Badge.OFFLINE
    assert spec_for(running_state(pending_count=2, offline=True, last_error="nope"), NOW).badge is Badge.ERROR
    # whole minutes only: the spec (and so the icon) changes at most once a minute
    assert spec_for(running_state(), NOW) == spec_for(running_state(), NOW + timedelta(seconds=50))
    assert spec_for(running_state(), NOW) != spec_for(running_state(), NOW + timedelta(seconds=56))


def test_icon_sheet_artifact(painter):
    """Every look at every size, on a dark and a light panel: artifacts/screenshots/icon-sheet.png."""
    from pathlib import Path

    from PySide6.QtGui import QPainter

    specs = [STATES["signed_out"], STATES["loading"], STATES["idle"], IconSpec(Look.RUNNING, minutes=23),
             IconSpec(Look.RUNNING, minutes=83), STATES["pending"], STATES["offline"], STATES["error"],
             STATES["running_pending"]]
    sizes = [16, 22, 24, 32, 48, 64]
    cell = 72
    sheet = QImage(cell * len(sizes), cell * len(specs) * 2, QImage.Format.Format_ARGB32)
    sheet.fill(QColor("#ffffff"))
    p = QPainter(sheet)
    for panel, (dark, background) in enumerate(((True, QColor("#2b2b2b")), (False, QColor("#e6e6e6")))):
        for row, spec in enumerate(specs):
            y = (panel * len(specs) + row) * cell
            p.fillRect(0, y, sheet.width(), cell, background)
            for col, size in enumerate(sizes):
                image = painter.image(spec._replace(dark_panel=dark), size)
                p.drawImage(col * cell + (cell - size) // 2, y + (cell - size) // 2, image)
    p.end()
    out = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots" / "icon-sheet.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    assert sheet.save(str(out))

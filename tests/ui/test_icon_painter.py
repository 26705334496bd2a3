"""The tray icon: one look per state, drawn per size (no scaling), light and dark panels."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage

from timecrowd_tray.core.models import Task, User
from timecrowd_tray.core.timer import Phase, TimerState
from timecrowd_tray.ui.icon_engine import SIZES
from timecrowd_tray.ui.icon_painter import HIDPI_MAX, IconPainter
from timecrowd_tray.ui.icon_spec import Badge, IconSpec, Look, spec_for

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
    for size in (16, 22, 24, 28, 32, 48):  # 28: the hour digit in the ring; up to 24: "1h" / "2h"
        assert image_bytes(painter.image(a, size)) != image_bytes(painter.image(b, size)), size


# -- the running look at panel sizes: the elapsed time, legible -------------------------------

WHITE = QColor("#ffffff")
SMALL_SIZES = (16, 22, 24)
ELAPSED = (0, 7, 42, 65, 600)  # minutes: "0", "7", "42", "1h" (bar at 5/60), "10h"


def luminance(color: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.red()) + 0.7152 * channel(color.green()) + 0.0722 * channel(color.blue())


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def background(image: QImage) -> QColor:
    """The most common opaque colour of ``image`` that is not (nearly) white: the tile's."""
    counts: dict[int, int] = {}
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if pixel.alpha() == 255 and min(pixel.red(), pixel.green(), pixel.blue()) < 200:
                counts[pixel.rgb()] = counts.get(pixel.rgb(), 0) + 1
    return QColor.fromRgb(max(counts, key=counts.get))


def ink(image: QImage, region: tuple[int, int, int, int] | None = None) -> tuple[int, int, int]:
    """The text's pixels in ``region`` (x, y, w, h; the whole image by default): opaque, and
    lighter than the tile by a contrast of 3:1 at least (the text's body, not its faint
    anti-aliased edge). Returns (count, ink height, ink width)."""
    tile = background(image)
    x0, y0, w, h = region or (0, 0, image.width(), image.height())
    xs, ys = [], []
    for y in range(y0, y0 + h):
        for x in range(x0, x0 + w):
            pixel = image.pixelColor(x, y)
            if pixel.alpha() > 200 and luminance(pixel) > luminance(tile) and contrast(pixel, tile) >= 3.0:
                xs.append(x)
                ys.append(y)
    if not xs:
        return 0, 0, 0
    return len(xs), max(ys) - min(ys) + 1, max(xs) - min(xs) + 1


@pytest.mark.parametrize("size", SMALL_SIZES)
@pytest.mark.parametrize("minutes", ELAPSED)
def test_small_running_icon_shows_the_elapsed_time_legibly(painter, size, minutes):
    image = painter.image(IconSpec(Look.RUNNING, minutes=minutes), size)
    area = size * size
    count, height, width = ink(image)
    # the text is a real share of the icon (one thin "7" is 17 %, "42" about 30 %)...
    assert count > 0.15 * area, f"{minutes} min at {size} px: only {count / area:.0%} of the pixels are text"
    # ...and fills it: at least 60 % of its height (10 px of 16, 14 of 22), a third of its width
    assert height >= 0.6 * size, f"{minutes} min at {size} px: the text is {height} px tall"
    assert width >= size / 3, f"{minutes} min at {size} px: the text is {width} px wide"
    # white, on a tile of the running green that contrasts with it (WCAG AA: 4.5:1)...
    assert opaque_pixels(image, WHITE) >= 0.6 * count, "the text is white"
    tile = background(image)
    assert contrast(WHITE, tile) >= 4.5, f"white on {tile.name()}: {contrast(WHITE, tile):.2f}:1"
    assert tile.green() > tile.red() + 60 and tile.green() > tile.blue(), f"{tile.name()} does not say running"
    # ...that covers the icon, so it reads the same on light and dark panels
    assert opaque_pixels(image) >= 0.9 * area, "the panel shows through the running tile"
    on_light = painter.image(IconSpec(Look.RUNNING, minutes=minutes, dark_panel=False), size)
    assert image_bytes(on_light) == image_bytes(image), "the running tile differs on light and dark panels"


@pytest.mark.parametrize("size", SMALL_SIZES)
def test_small_running_icon_changes_with_the_elapsed_time(painter, size):
    images = {m: image_bytes(painter.image(IconSpec(Look.RUNNING, minutes=m), size))
              for m in (*ELAPSED, 43, 83)}
    assert len(set(images.values())) == len(images), f"two elapsed times look the same at {size} px"
    # 65 and 83 minutes are both "1h": the bar along the bottom tells the minutes of the hour apart
    assert images[65] != images[83]


@pytest.mark.parametrize("size", SMALL_SIZES)
@pytest.mark.parametrize("badge", [Badge.PENDING, Badge.OFFLINE, Badge.ERROR])
def test_small_running_icon_keeps_its_text_beside_a_badge(painter, size, badge):
    for minutes in ELAPSED:
        plain = painter.image(IconSpec(Look.RUNNING, minutes=minutes), size)
        image = painter.image(IconSpec(Look.RUNNING, badge, minutes=minutes), size)
        assert image_bytes(image) != image_bytes(plain)
        # The badge takes the bottom-right corner (42 % of the side); the text stays in the rest,
        # above it or beside it (counted apart from the badge's square: its arrow is light too).
        corner = size - round(size * 0.42) - 1
        above = ink(image, (0, 0, size, corner))
        beside = ink(image, (0, corner, corner, size - corner))
        count = above[0] + beside[0]
        height = above[1] + beside[1]
        assert count > 0.06 * size * size, f"{minutes} min, {badge.value}, {size} px: {count} px of text"
        # 40 % of the side; at 16 px 6 px ("10h" there; one or two digits are 7-13 px tall)
        least = 6 if size == 16 else 0.4 * size
        assert height >= least, f"{minutes} min, {badge.value}, {size} px: the text is {height} px tall"


def test_small_running_icon_at_2x_is_drawn_at_device_pixels(painter):
    image = painter.image(IconSpec(Look.RUNNING, minutes=42), 22, 2.0)
    assert (image.width(), image.height()) == (44, 44)
    count, height, _ = ink(image)
    assert count > 0.15 * 44 * 44 and height >= 0.6 * 44


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

"""A test run leaves the git tree as it was: the README's pictures change only when asked.

Asked means TIMECROWD_TRAY_UPDATE_SCREENSHOTS=1 (``support/screenshots.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

from support.screenshots import UPDATE_SCREENSHOTS_ENV, update_readme_picture

TESTS = Path(__file__).resolve().parent


def a_shot(tmp_path: Path) -> Path:
    shot = tmp_path / "artifacts" / "shot.png"
    shot.parent.mkdir(parents=True)
    shot.write_bytes(b"\x89PNG a picture")
    return shot


def test_without_the_variable_the_readme_picture_is_left_alone(tmp_path, monkeypatch):
    monkeypatch.delenv(UPDATE_SCREENSHOTS_ENV, raising=False)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "entries-en.png").write_bytes(b"the committed picture")
    assert update_readme_picture(a_shot(tmp_path), "entries-en.png", docs=docs) is None
    assert (docs / "entries-en.png").read_bytes() == b"the committed picture"
    assert sorted(p.name for p in docs.iterdir()) == ["entries-en.png"]


def test_a_value_other_than_1_does_not_count_as_asking(tmp_path, monkeypatch):
    monkeypatch.setenv(UPDATE_SCREENSHOTS_ENV, "0")
    docs = tmp_path / "docs"
    assert update_readme_picture(a_shot(tmp_path), "entries-en.png", docs=docs) is None
    assert not docs.exists()


def test_with_the_variable_the_readme_picture_is_refreshed(tmp_path, monkeypatch):
    monkeypatch.setenv(UPDATE_SCREENSHOTS_ENV, "1")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "entries-en.png").write_bytes(b"the committed picture")
    copy = update_readme_picture(a_shot(tmp_path), "entries-en.png", docs=docs)
    assert copy == docs / "entries-en.png"
    assert copy.read_bytes() == b"\x89PNG a picture"


def test_no_test_writes_into_docs_screenshots_but_through_the_opt_in():
    """A copy into docs/screenshots written straight in a test would dirty the tree on every run."""
    pattern = re.compile(r"""["']docs["']\s*/\s*["']screenshots["']""")  # ROOT / "docs" / "screenshots"
    allowed = {TESTS / "support" / "screenshots.py", Path(__file__).resolve()}
    offenders = [
        str(path.relative_to(TESTS))
        for path in TESTS.rglob("*.py")
        if path not in allowed and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []

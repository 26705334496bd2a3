"""``timecrowd-tray config list|get|set|reset`` over the settings store."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from timecrowd_tray.cli import EXIT_ERROR, EXIT_OK, EXIT_USAGE, main
from timecrowd_tray.cli.config import APP_TIMEOUT_S
from timecrowd_tray.core.settings import SCHEMA
from timecrowd_tray.platform.instance import client as instance_client
from timecrowd_tray.platform.instance.errors import NoAnswer
from timecrowd_tray.platform.settings_store import SettingsStore, SettingsWriteError

from support.unwritable import shared_base, unwritable

GARBAGE = b"\x00\xff\xfe garbage [[[\npoll_interval=45\n[Gen\x00\n"


@pytest.fixture(autouse=True)
def private_settings(tmp_path, monkeypatch):
    """Each test gets its own settings folder (QSettings caches the XDG path per process: reset it)."""
    original = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    config = tmp_path / "config"
    config.mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(config))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(config))
    yield config
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, original)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, original)


class FakeApp:
    """Stands in for instance_client.send_request: records the requests, plays the running app (None: no app)."""

    def __init__(self, answer=None, error: BaseException | None = None) -> None:
        self.answer = answer
        self.error = error
        self.requests: list[tuple[dict, float]] = []

    def __call__(self, request, timeout=instance_client.REPLY_TIMEOUT):
        self.requests.append((request, timeout))
        if self.error is not None:
            raise self.error
        return self.answer


@pytest.fixture(autouse=True)
def running_app(monkeypatch):
    """No test here reaches a real app's socket: by default, no app runs."""
    app = FakeApp()
    monkeypatch.setattr(instance_client, "send_request", app)
    return app


def run(capsys, *argv):
    code = main(["config", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_every_key_with_defaults(capsys, private_settings):
    code, out, err = run(capsys, "list")
    assert code == EXIT_OK and err == ""
    lines = out.splitlines()
    for key in SCHEMA:
        assert any(line.startswith(key + " ") and "(default)" in line for line in lines), key
    width = max(len(key) for key in SCHEMA)  # the keys are aligned on the longest one
    assert f"{'poll_interval':<{width}} = 30  (default)" in lines
    assert lines[-1].startswith("# stored in ") and str(private_settings) in lines[-1]


def test_set_get_reset_round_trip(capsys):
    assert run(capsys, "set", "poll_interval", "120") == (EXIT_OK, "poll_interval = 120\n", "")
    assert run(capsys, "get", "poll_interval") == (EXIT_OK, "120\n", "")
    assert SettingsStore().get("poll_interval") == 120  # the same store the app reads
    assert run(capsys, "set", "comment_on_stop", "off")[1] == "comment_on_stop = false\n"
    assert run(capsys, "set", "language", "JA")[1] == "language = ja\n"
    assert run(capsys, "set", "hotkey.toggle", "ctrl+alt+k")[1] == "hotkey.toggle = Ctrl+Alt+K\n"
    assert run(capsys, "set", "hotkey.palette", "")[1] == "hotkey.palette = \n"  # turned off
    assert run(capsys, "set", "api_base", "http://127.0.0.1:8080/")[1] == "api_base = http://127.0.0.1:8080\n"
    code, out, _ = run(capsys, "list")
    width = max(len(key) for key in SCHEMA)
    assert f"{'poll_interval':<{width}} = 120\n" in out and f"{'language':<{width}} = ja\n" in out
    assert run(capsys, "reset", "poll_interval") == (EXIT_OK, "poll_interval = 30  (default)\n", "")
    assert not SettingsStore().is_set("poll_interval")


@pytest.mark.parametrize("key, value, words", [
    ("poll_interval", "5", "between 10 and 3600"),
    ("poll_interval", "soon", "whole number"),
    ("api_base", "http://example.com", "loopback"),
    ("api_base", "ftp://x", "https://"),
    ("hotkey.toggle", "T", "modifier"),
    ("hotkey.toggle", "Hyper+T", "unknown modifier"),
    ("language", "fr", "system, ja, en"),
    ("comment_on_stop", "maybe", "true or false"),
    ("autostart", "2", "true or false"),
])
def test_invalid_values_are_refused_with_a_clear_message(capsys, key, value, words):
    code, out, err = run(capsys, "set", key, value)
    assert code == EXIT_USAGE and out == ""  # 2: a bad value (README, exit codes)
    assert err.startswith("timecrowd-tray: invalid value") and key in err and words in err
    assert not SettingsStore().is_set(key)


def test_unknown_key(capsys):
    for argv in (("get", "colour"), ("set", "colour", "red"), ("reset", "colour")):
        code, out, err = run(capsys, *argv)
        assert code == EXIT_USAGE and "unknown setting 'colour'" in err and "poll_interval" in err


def test_autostart_is_stored_and_applied(capsys, private_settings):
    code, out, _ = run(capsys, "set", "autostart", "true")
    assert code == EXIT_OK and out == "autostart = true\n"
    assert SettingsStore().get("autostart") is True
    entry = private_settings / "autostart" / "timecrowd-tray.desktop"
    assert entry.exists()
    assert run(capsys, "set", "autostart", "false")[0] == EXIT_OK
    assert not entry.exists()


def test_a_broken_value_in_the_file_shows_the_default(capsys, private_settings, caplog):
    folder = private_settings / "timecrowd-tray"
    folder.mkdir()
    (folder / "timecrowd-tray.conf").write_text("[General]\npoll_interval=often\n", encoding="utf-8")
    code, out, _ = run(capsys, "get", "poll_interval")
    assert (code, out) == (EXIT_OK, "30\n")
    assert any("poll_interval" in r.getMessage() for r in caplog.records)


# -- writes report what really happened --------------------------------------------------------------


def _conf(config: Path) -> Path:
    return config / "timecrowd-tray" / "timecrowd-tray.conf"


def test_set_over_a_garbage_settings_file_writes_it_and_says_so(capsys, private_settings):
    conf = _conf(private_settings)
    conf.parent.mkdir()
    conf.write_bytes(GARBAGE)
    code, out, err = run(capsys, "set", "language", "ja")
    assert (code, out) == (EXIT_OK, "language = ja\n")  # was: "cannot write the settings file", exit 1
    assert "cannot write" not in err
    [copy] = conf.parent.glob("timecrowd-tray.conf.corrupt-*")
    assert copy.read_bytes() == GARBAGE and str(copy) in err  # what Qt could not read is kept
    assert run(capsys, "get", "language")[:2] == (EXIT_OK, "ja\n")
    assert run(capsys, "get", "poll_interval")[:2] == (EXIT_OK, "45\n")  # what it could read stays
    fresh = QSettings(str(conf), QSettings.Format.IniFormat)
    assert fresh.value("language") == "ja"
    # The file is whole again: no copy at the next write.
    assert run(capsys, "set", "language", "en")[:2] == (EXIT_OK, "language = en\n")
    assert len(list(conf.parent.glob("timecrowd-tray.conf.corrupt-*"))) == 1


def test_reset_over_a_garbage_settings_file(capsys, private_settings):
    conf = _conf(private_settings)
    conf.parent.mkdir()
    conf.write_bytes(GARBAGE)
    assert run(capsys, "reset", "poll_interval")[:2] == (EXIT_OK, "poll_interval = 30  (default)\n")
    assert QSettings(str(conf), QSettings.Format.IniFormat).value("poll_interval") is None


@pytest.fixture
def shared_settings(monkeypatch):
    """Settings in a folder the unwritable() helper can lock (tmp_path's parents are private)."""
    original = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    with shared_base() as base:
        config = base / "config"
        (config / "timecrowd-tray").mkdir(parents=True)
        for folder in (config, config / "timecrowd-tray"):
            folder.chmod(0o777)
        monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
        for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
            QSettings.setPath(fmt, QSettings.Scope.UserScope, str(config))
        try:
            yield config
        finally:
            # Qt keeps the changes a failed write could not store and retries them at the next sync
            # of that file: let that happen now, while the folder exists (not in a stray one later).
            QSettings(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, "timecrowd-tray",
                      "timecrowd-tray").sync()
            for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
                QSettings.setPath(fmt, QSettings.Scope.UserScope, original)


@pytest.mark.parametrize("content", [b"[General]\npoll_interval=45\n", GARBAGE], ids=["whole", "garbage"])
def test_a_settings_file_that_cannot_be_written_is_reported_and_nothing_claimed(capsys, shared_settings, content):
    conf = _conf(shared_settings)
    conf.write_bytes(content)
    conf.chmod(0o444)
    with unwritable(conf.parent):
        code, out, err = run(capsys, "set", "poll_interval", "120")
        assert (code, out) == (EXIT_ERROR, "")
        assert "cannot write the settings file" in err and str(conf) in err and "not changed" in err
        assert run(capsys, "get", "poll_interval")[:2] == (EXIT_OK, "45\n")  # what the file says
        code, out, err = run(capsys, "reset", "poll_interval")  # was: exit 0, "(default)"
        assert (code, out) == (EXIT_ERROR, "") and "cannot write the settings file" in err
        assert run(capsys, "get", "poll_interval")[:2] == (EXIT_OK, "45\n")
    assert conf.read_bytes() == content


def test_a_write_after_a_failed_one_is_judged_on_its_own(shared_settings):
    """QSettings.status() keeps its first error: the store reads the value back instead."""
    conf = _conf(shared_settings)
    conf.write_bytes(b"[General]\npoll_interval=45\n")
    store = SettingsStore()
    with unwritable(conf.parent):
        with pytest.raises(SettingsWriteError, match="cannot write the settings file"):
            store.set("poll_interval", 120)
        assert store.get("poll_interval") == 45  # not what could not be written
    assert store.set("poll_interval", 60) == 60  # status() still says AccessError: the disk says done
    assert QSettings(str(conf), QSettings.Format.IniFormat).value("poll_interval") == "60"


# -- a running app picks the change up at once -------------------------------------------------------


def test_set_tells_the_running_app_which_keys_changed(capsys, running_app):
    running_app.answer = {"ok": True, "outcome": "done", "applied": ["hotkey.toggle"]}
    assert run(capsys, "set", "hotkey.toggle", "ctrl+alt+k") == (EXIT_OK, "hotkey.toggle = Ctrl+Alt+K\n", "")
    assert running_app.requests == [({"cmd": "settings_changed", "keys": ["hotkey.toggle"]},
                                     APP_TIMEOUT_S)]
    assert APP_TIMEOUT_S <= 5  # a short wait: the app only reads a file


def test_reset_tells_the_running_app_too(capsys, running_app):
    assert run(capsys, "set", "language", "ja")[0] == EXIT_OK
    running_app.requests.clear()
    running_app.answer = {"ok": True, "outcome": "done", "applied": ["language"]}
    assert run(capsys, "reset", "language") == (EXIT_OK, "language = system  (default)\n", "")
    assert running_app.requests == [({"cmd": "settings_changed", "keys": ["language"]}, APP_TIMEOUT_S)]


def test_no_running_app_is_fine_and_says_nothing(capsys, running_app):
    assert run(capsys, "set", "poll_interval", "60") == (EXIT_OK, "poll_interval = 60\n", "")
    assert [request for request, _ in running_app.requests] == [{"cmd": "settings_changed",
                                                                  "keys": ["poll_interval"]}]


def test_nothing_written_nothing_told(capsys, running_app):
    assert run(capsys, "set", "poll_interval", "5")[0] == EXIT_USAGE
    assert run(capsys, "set", "colour", "red")[0] == EXIT_USAGE
    assert run(capsys, "reset", "colour")[0] == EXIT_USAGE
    assert run(capsys, "get", "poll_interval")[0] == EXIT_OK
    assert run(capsys, "list")[0] == EXIT_OK
    assert running_app.requests == []


def test_a_write_that_failed_is_not_told(capsys, shared_settings, running_app):
    conf = _conf(shared_settings)
    conf.write_bytes(b"[General]\npoll_interval=45\n")
    conf.chmod(0o444)
    with unwritable(conf.parent):
        assert run(capsys, "set", "poll_interval", "120")[0] == EXIT_ERROR
        assert run(capsys, "reset", "poll_interval")[0] == EXIT_ERROR
    assert running_app.requests == []


def test_an_app_that_does_not_answer_is_noted_and_the_value_stays(capsys, running_app):
    running_app.error = NoAnswer("the running app did not answer within 3 s")
    code, out, err = run(capsys, "set", "notifications", "on")
    assert (code, out) == (EXIT_OK, "notifications = true\n")
    assert "the running app was not told" in err and "did not answer" in err and "next start" in err
    assert SettingsStore().get("notifications") is True


def test_an_app_that_cannot_apply_it_is_noted(capsys, running_app):
    running_app.answer = {"ok": False, "outcome": "refused", "error": "unknown command 'settings_changed'",
                          "code": "bad_request"}
    code, out, err = run(capsys, "set", "hotkey.palette", "")
    assert (code, out) == (EXIT_OK, "hotkey.palette = \n")
    assert "did not apply this (unknown command 'settings_changed')" in err

"""The shell speaks the user's language: ``language=ja`` (or ``system`` with a Japanese locale) prints Japanese.

* the language: the setting, then the locale, read without Qt on the way to the running app;
* what the commands print, in Japanese, as real processes and in this process against the emulator;
* English stays exactly as it was;
* every message the shell relays from below (service, app, settings, keyring, sign-in, socket) is one
  it can translate (read from those modules' source, so a new message there fails here).
"""

from __future__ import annotations

import ast
import io
import os
import re
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from timecrowd_tray.cli import EXIT_OK, EXIT_USAGE, control, i18n, i18n_language, main as cli_main
from timecrowd_tray.core import status
from timecrowd_tray.core.settings import SCHEMA
from timecrowd_tray.emulator import DEMO_TOKEN, EmulatorServer, EmulatorState
from timecrowd_tray.platform.instance import paths as instance_paths
from timecrowd_tray.platform.settings_store import SettingsStore
from timecrowd_tray.services import credentials as credmod, messages

PACKAGE = Path(i18n.__file__).resolve().parents[1]
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture
def settings(tmp_path, monkeypatch):
    """A settings folder of this test's own (QSettings caches the XDG path per process: set it)."""
    original = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    config = tmp_path / "config"
    config.mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    for variable in LOCALE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(config))
    yield SettingsStore()
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, original)


@pytest.fixture
def japanese(settings):
    settings.set("language", "ja")
    yield settings
    messages.set_translator(None)  # the local engine installs the service's translator in this process


# -- the language ---------------------------------------------------------------------------------

def test_the_language_setting_wins_and_system_follows_the_locale(settings, monkeypatch):
    assert i18n.language() == "en"  # system, LANG=C.UTF-8
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    assert i18n.language() == "ja"
    settings.set("language", "en")
    assert i18n.language() == "en"
    settings.set("language", "ja")
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert i18n.language() == "ja"


@pytest.mark.parametrize("environ, expected", [
    ({"LANG": "ja_JP.UTF-8"}, "ja"),
    ({"LC_MESSAGES": "ja_JP.eucJP", "LANG": "en_US.UTF-8"}, "ja"),
    ({"LC_ALL": "en_GB.UTF-8", "LC_MESSAGES": "ja_JP.UTF-8"}, "en"),  # LC_ALL first, as the C library
    ({"LANGUAGE": "fr:ja", "LANG": "en_US.UTF-8"}, "ja"),  # the first language we have
    ({"LANGUAGE": "de", "LANG": "ja_JP.UTF-8"}, "en"),  # $LANGUAGE set: the locale is not asked (as Qt)
    ({"LANG": "ja"}, "ja"),
    ({"LANG": "C"}, "en"),
    ({}, "en"),
])
def test_system_language(environ, expected):
    assert i18n_language.system_language(environ) == expected


def test_system_is_the_language_the_app_shows():
    """The same answer as the app's (Qt's system locale, ui.i18n.resolve_language)."""
    code = ("from timecrowd_tray.ui.i18n import resolve_language; "
            "from timecrowd_tray.cli.i18n_language import system_language; "
            "print(resolve_language('system'), system_language())")
    for environ in ({"LANGUAGE": "de", "LANG": "ja_JP.UTF-8"}, {"LANGUAGE": "fr:ja", "LANG": "en_US.UTF-8"},
                    {"LC_ALL": "en_GB.UTF-8", "LC_MESSAGES": "ja_JP.UTF-8"}, {"LC_MESSAGES": "ja_JP.eucJP"},
                    {"LANG": "ja_JP.UTF-8"}, {"LANG": "C"}):
        env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
        app, shell = child(code, {**env, **environ, "QT_QPA_PLATFORM": "offscreen"}).split()
        assert app == shell, environ


def test_the_settings_file_is_read_as_qt_writes_it(tmp_path):
    conf = tmp_path / "timecrowd-tray.conf"
    written = QSettings(str(conf), QSettings.Format.IniFormat)
    for key, value in (("hotkey.toggle", "Ctrl+Alt+Shift+T"), ("language", "ja"), ("poll_interval", "45")):
        written.setValue(key, value)
    written.sync()
    assert i18n_language.ini_value(conf, "language") == "ja"
    assert i18n_language.ini_value(conf, "hotkey.toggle") == "Ctrl+Alt+Shift+T"
    assert i18n_language.ini_value(conf, "autostart") is None
    assert i18n_language.ini_value(tmp_path / "none.conf", "language") is None
    conf.write_bytes(b"\x00\xff garbage [[[\nlanguage=ja\n")  # damaged: what can be read still counts
    assert i18n_language.ini_value(conf, "language") == "ja"


def child(code: str, env: dict[str, str]) -> str:
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_without_qt_the_shell_reads_the_same_file_qt_does(tmp_path):
    """On the way to the running app no Qt is imported: the language comes from the file itself."""
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen"}
    env.pop("LANGUAGE", None)
    location = child("from timecrowd_tray.platform.settings_store import SettingsStore as S; s = S(); "
                     "s.set('language', 'ja'); print(s.location)", env)
    seen = child("import sys; from timecrowd_tray.cli import i18n, i18n_language; "
                 "print(i18n_language.settings_file(), i18n.language(), i18n.tr('signed out'), "
                 "'PySide6.QtCore' in sys.modules)", env)
    assert seen == f"{location} ja サインインしていません False"


# -- what the commands print -----------------------------------------------------------------------

@pytest.fixture
def shell_env(tmp_path):
    """The environment of a command run as a process: its own settings (language=ja), no app running."""
    config = tmp_path / "config" / "timecrowd-tray"
    config.mkdir(parents=True)
    (config / "timecrowd-tray.conf").write_text("[General]\nlanguage=ja\n", encoding="utf-8")
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_RUNTIME_DIR": str(runtime),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "XDG_STATE_HOME": str(tmp_path / "state"), "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen",
           instance_paths.INSTANCE_ENV: f"i18n-{uuid.uuid4().hex[:12]}"}
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "TIMECROWD_API_BASE"):
        env.pop(variable, None)
    return env


def cli(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "timecrowd_tray", *args], input=stdin, env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def test_commands_speak_japanese_with_language_ja(shell_env):
    result = cli(shell_env, "config", "set", "poll_interval", "5")
    assert (result.returncode, result.stdout) == (EXIT_USAGE, "")
    assert result.stderr == ("timecrowd-tray: poll_interval に '5' は指定できません"
                             "（10〜3600 秒の範囲で指定してください）。\n")

    result = cli(shell_env, "config", "get", "colour")
    assert result.returncode == EXIT_USAGE
    assert result.stderr.startswith("timecrowd-tray: 'colour' という設定はありません。設定できるのは api_base, ")

    result = cli(shell_env, "config", "list")
    lines = result.stdout.splitlines()
    width = max(len(key) for key in SCHEMA)  # the keys are aligned on the longest one
    assert f"{'poll_interval':<{width}} = 30  (default)" in lines and f"{'language':<{width}} = ja" in lines
    assert lines[-1].startswith("# 保存場所：") and lines[-1].endswith("timecrowd-tray.conf")

    result = cli(shell_env, "start", "review", "--task", "3")
    assert result.stderr == ("timecrowd-tray: QUERY と --task ID は同時に指定できません。"
                             "どちらか一方を指定してください。\n")
    result = cli(shell_env, "stop", "--comment", " ")
    assert result.stderr == "timecrowd-tray: --comment にはコメントの本文を指定してください。\n"
    result = cli(shell_env, "palette")
    assert result.stderr.startswith("timecrowd-tray: TimeCrowd Tray が起動していません。")

    result = cli(shell_env, "login", "--with-token", stdin="two words\n")
    assert result.returncode == EXIT_USAGE
    assert result.stderr == ("timecrowd-tray: アクセストークンに空白か改行が含まれています。"
                             "トークンはひと続きの文字列です。空白や改行を含めずにもう一度コピーしてください。"
                             "（何も送信・保存していません）\n")
    result = cli(shell_env, "login", "--with-token", stdin="x" * 5000)
    assert "アクセストークンにしては長すぎます（4096 文字を超えています）" in result.stderr
    result = cli(shell_env, "login", "--with-token", stdin="")
    assert result.stderr.startswith("timecrowd-tray: 標準入力にアクセストークンがありません（例：")


def test_system_follows_the_locale_and_english_stays_english(shell_env):
    conf = Path(shell_env["XDG_CONFIG_HOME"]) / "timecrowd-tray" / "timecrowd-tray.conf"
    conf.write_text("[General]\nlanguage=system\n", encoding="utf-8")
    assert cli({**shell_env, "LANG": "ja_JP.UTF-8"}, "stop", "--comment", "").stderr == \
        "timecrowd-tray: --comment にはコメントの本文を指定してください。\n"
    assert cli(shell_env, "stop", "--comment", "").stderr == "timecrowd-tray: --comment needs some text\n"
    conf.write_text("[General]\nlanguage=en\n", encoding="utf-8")
    assert cli({**shell_env, "LANG": "ja_JP.UTF-8"}, "stop", "--comment", "").stderr == \
        "timecrowd-tray: --comment needs some text\n"


class MemoryKeyring:
    def __init__(self) -> None:
        self.data: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.data.get((service, username))

    def set_password(self, service, username, password):
        self.data[(service, username)] = password

    def delete_password(self, service, username):
        self.data.pop((service, username), None)


def run_main(capsys, monkeypatch, *args: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    outcome: dict = {}

    def target():
        try:
            outcome["code"] = cli_main(list(args))
        except BaseException as exc:  # noqa: BLE001
            outcome["error"] = exc

    capsys.readouterr()
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), f"timecrowd-tray {' '.join(args)} never returned"
    captured = capsys.readouterr()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["code"], captured.out, captured.err


def test_sign_in_and_the_timer_in_japanese(japanese, capsys, monkeypatch, tmp_path):
    """login, whoami, status, start, stop, logout against the emulator, without an app: all Japanese."""
    monkeypatch.setattr(credmod, "detect_backend", MemoryKeyring)
    keyring = MemoryKeyring()
    monkeypatch.setattr(credmod, "detect_backend", lambda: keyring)
    monkeypatch.setenv(instance_paths.INSTANCE_ENV, f"i18n-{uuid.uuid4().hex[:12]}")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("TIMECROWD_API_BASE", raising=False)
    with EmulatorServer(EmulatorState.seeded(), host="127.0.0.1", port=0) as server:
        url = server.url
        run = lambda *args, stdin="": run_main(capsys, monkeypatch, "--api-base", url, *args, stdin=stdin)  # noqa: E731

        assert run("whoami")[2] == (f"timecrowd-tray: {url} にサインインしていません"
                                    "（timecrowd-tray login --with-token を実行してください）。\n")
        assert run("login", "--with-token", stdin="bogus-token-0123456789abcdef")[2].startswith(
            f"timecrowd-tray: {url} がこのアクセストークンを拒否しました（")
        code, out, err = run("login", "--with-token", stdin=DEMO_TOKEN)
        assert (code, err) == (EXIT_OK, "")
        # The nickname has ASCII brackets of its own: the e-mail is not put right after it.
        assert out == f"山田 花子 (demo) として {url} にサインインしました（hanako.yamada@example.com）。\n"
        assert run("whoami")[1] == \
            f"山田 花子 (demo) として {url} にサインインしています（hanako.yamada@example.com）。\n"

        assert run("status") == (EXIT_OK, "■ 計測していません\n", "")
        code, out, err = run("start", "ログイン画面の改修")
        assert (code, out, err) == (EXIT_OK, "▶ 「ログイン画面の改修（株式会社デモ）」を開始しました\n", "")
        code, out, _ = run("status")
        assert re.fullmatch(r"▶ ログイン画面の改修（株式会社デモ） 0:00:\d\d\n", out), out
        code, out, err = run("start", "ログイン画面の改修")
        assert out == "▶ 「ログイン画面の改修（株式会社デモ）」はすでに計測中です\n"
        code, out, err = run("stop")
        assert re.fullmatch(r"■ 「ログイン画面の改修（株式会社デモ）」を停止しました（0:00:\d\d）\n", out), (out, err)
        assert run("stop")[1] == "■ 計測していません（停止するタイマーはありません）\n"
        code, out, err = run("start", "no such task at all")
        assert err == "timecrowd-tray: 'no such task at all' に一致するタスクはありません。\n"
        code, out, err = run("stop", "--comment", "x" * 2000)  # nothing runs: the service's own words
        assert err == "timecrowd-tray: タイマーが計測中ではないため、コメントは追加していません。\n"

        code, out, err = run("logout")
        assert out == f"{url} からサインアウトしました。保存されていたサインイン情報を削除しました。\n"
        code, out, err = run("toggle")
        assert err == (f"timecrowd-tray: TimeCrowd Tray が起動しておらず、{url} にもサインインしていません"
                       "（timecrowd-tray login --with-token を実行してください）。\n")


def test_the_running_apps_answers_in_japanese(japanese, capsys):
    """What the app answers on its socket (English protocol texts, or the server's words) is relayed."""
    control._app_result({"ok": False, "error": "no recent task to start: use `timecrowd-tray start QUERY`",
                         "code": "not_found"})
    assert capsys.readouterr().err == ("timecrowd-tray: 開始できる最近のタスクがありません。"
                                       "`timecrowd-tray start QUERY` で指定してください。\n")
    control._app_result({"ok": False, "error": "選択中のチームでタスクの作成・編集・削除は許可されていません",
                         "code": "refused"})
    assert capsys.readouterr().err == "timecrowd-tray: 選択中のチームでタスクの作成・編集・削除は許可されていません\n"
    control._app_result({"ok": False, "error": "Task is archived", "code": "refused"})  # the server's own words
    assert capsys.readouterr().err == "timecrowd-tray: Task is archived\n"
    queued = {"ok": True, "outcome": "queued", "action": "stopped", "acted_at": "2025-10-21T17:02:00+09:00",
              "waiting_for": "network", "stopped": {"task": {"id": 1, "title": "週次定例", "team": "株式会社デモ"},
                                                    "elapsed_seconds": 60},
              "status": status.status_document(state="offline", pending=1, source="app")}
    control._app_result(queued)
    clock = control._clock_of(queued["acted_at"])
    assert capsys.readouterr().out == (f"⏸ 未送信：「週次定例（株式会社デモ）」の停止。操作した時刻（{clock}）で"
                                       "後から送信します。現在 TimeCrowd に接続できません。\n")


# -- format_status and the action lines ----------------------------------------------------------------

RUNNING = {"state": "running", "task": {"id": 7, "title": "週次定例ミーティング", "team": "株式会社デモ"},
           "started_at": "2025-10-21T09:00:00+09:00", "elapsed_seconds": 2530, "pending": 0, "source": "app"}


def test_format_status_in_english_is_as_it_was():
    assert status.format_status(RUNNING) == "▶ 週次定例ミーティング (株式会社デモ) 0:42:10"
    assert status.format_status({**RUNNING, "state": "offline", "pending": 2}) == \
        "⚠ offline ▶ 週次定例ミーティング (株式会社デモ) 0:42:10 (2 waiting to sync)"
    assert status.format_status({**RUNNING, "task": {"id": 7, "title": "", "team": None}}) == "▶ task 7 0:42:10"
    assert status.format_status({"state": "idle", "task": None, "pending": 1}) == "■ not running (1 waiting to sync)"
    assert status.format_status({"state": "signed_out", "task": None}) == "signed out"
    assert status.format_status({"state": "offline", "task": None}) == "⚠ offline"
    assert status.format_status(RUNNING, i18n.tr) == status.format_status(RUNNING)  # English: the same line


def test_format_status_in_japanese(japanese):
    tr = i18n.tr
    assert status.format_status(RUNNING, tr) == "▶ 週次定例ミーティング（株式会社デモ） 0:42:10"
    assert status.format_status({**RUNNING, "state": "offline", "pending": 2}, tr) == \
        "⚠ オフライン ▶ 週次定例ミーティング（株式会社デモ） 0:42:10（未送信の変更 2 件）"
    assert status.format_status({**RUNNING, "task": {"id": 7, "title": "", "team": None}}, tr) == "▶ タスク 7 0:42:10"
    assert status.format_status({"state": "idle", "task": None}, tr) == "■ 計測していません"
    assert status.format_status({"state": "signed_out", "task": None}, tr) == "サインインしていません"
    assert status.format_status({"state": "offline", "task": None}, tr) == "⚠ オフライン"


def report(capsys, *args) -> str:
    control._report_action(*args)
    return capsys.readouterr().out


def test_the_action_lines_in_english_are_as_they_were(settings, capsys):
    task = {"id": 1, "title": "Code review", "team": "Demo"}
    before = {"task": task, "elapsed_seconds": 3725}
    queued = {"outcome": "queued", "acted_at": "2025-10-21T17:02:00+09:00", "waiting_for": "sign_in"}
    at = control._clock_of(queued["acted_at"])
    assert report(capsys, "started", None, {}, {"task": task}) == "▶ started Code review (Demo)\n"
    assert report(capsys, "already_running", None, {"task": task}) == "▶ already running Code review (Demo)\n"
    assert report(capsys, "stopped", before, {}) == "■ stopped Code review (Demo) 1:02:05\n"
    assert report(capsys, "stopped", {"task": {"id": 9}}, {}) == "■ stopped task 9\n"
    assert report(capsys, "stopped", None, {}) == "■ stopped\n"
    assert report(capsys, "not_running", None, {}) == "■ not running (nothing to stop)\n"
    assert report(capsys, "stopped", before, {}, queued) == (
        f"⏸ queued: stopped Code review (Demo); it will be sent with the time you asked ({at}): the app is not "
        "signed in now (sign in again to send it)\n")
    assert report(capsys, "switched", None, {}, {**queued, "task": task, "waiting_for": "server"}) == (
        f"⏸ queued: started Code review (Demo); it will be sent with the time you asked ({at}): TimeCrowd has "
        "not confirmed it yet\n")


# -- argparse's own words: usage errors and --help -----------------------------------------------------

#: ``timecrowd-tray ARGS`` -> what argparse says on stderr today, in English (byte for byte: scripts read it).
USAGE_ERRORS_EN = {
    ("frobnicate",): (
        "usage: timecrowd-tray [-h] [-V] [--api-base URL] [--debug] [--demo]\n"
        "                      COMMAND ...\n"
        "timecrowd-tray: error: argument COMMAND: invalid choice: 'frobnicate' (choose from 'login', 'logout', "
        "'whoami', 'config', 'toggle', 'start', 'stop', 'status', 'palette', 'log', 'add', 'edit', 'delete', "
        "'today', 'idle')\n"),
    ("start", "--at"): (
        "usage: timecrowd-tray start [-h] [--task ID] [--at TIME] [--allow-overlap]\n"
        "                            [QUERY ...]\n"
        "timecrowd-tray start: error: argument --at: expected one argument\n"),
    ("add", "--from", "9:00"): (
        "usage: timecrowd-tray add [-h] [--task ID] --from HH:MM --to HH:MM\n"
        "                          [--date DATE] [--comment TEXT] [--allow-overlap]\n"
        "                          [--json]\n"
        "                          [QUERY ...]\n"
        "timecrowd-tray add: error: the following arguments are required: --to\n"),
    ("stop", "extra"): (
        "usage: timecrowd-tray [-h] [-V] [--api-base URL] [--debug] [--demo]\n"
        "                      COMMAND ...\n"
        "timecrowd-tray: error: unrecognized arguments: extra\n"),
    ("idle", "maybe"): (
        "usage: timecrowd-tray idle [-h] {keep,discard,continue}\n"
        "timecrowd-tray idle: error: argument answer: invalid choice: 'maybe' (choose from 'keep', 'discard', "
        "'continue')\n"),
    ("edit", "nope"): (
        "usage: timecrowd-tray edit [-h] [--from HH:MM] [--to HH:MM] [--task ID]\n"
        "                           [--comment TEXT] [--allow-overlap] [--json]\n"
        "                           ENTRY_ID\n"
        "timecrowd-tray edit: error: argument ENTRY_ID: not an entry id: 'nope' (an id, or local-N from `log`)\n"),
    ("login", "--with-token", "--with-browser"): (
        "usage: timecrowd-tray login [-h] (--with-token | --with-browser)\n"
        "                            [--client-id ID] [--timeout SECONDS]\n"
        "                            [--no-browser]\n"
        "timecrowd-tray login: error: argument --with-browser: not allowed with argument --with-token\n"),
    ("status", "--json=1"): (
        "usage: timecrowd-tray status [-h] [--json]\n"
        "timecrowd-tray status: error: argument --json: ignored explicit argument '1'\n"),
}
HELP_EN = (
    "usage: timecrowd-tray log [-h] [--date DATE] [--json]\n"
    "\n"
    "Print the entries of a day (default today, in your TimeCrowd time zone), with\n"
    "the changes not sent yet on top, and the day's total.\n"
    "\n"
    "options:\n"
    "  -h, --help   show this help message and exit\n"
    "  --date DATE  YYYY-MM-DD, today (default) or yesterday\n"
    "  --json       print a JSON list of the entries\n"
)


def usage_error(capsys, *args: str) -> tuple[int, str, str]:
    """``timecrowd-tray ARGS`` in this process, where argparse ends it: (exit code, stdout, stderr)."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as ended:
        cli_main(list(args))
    captured = capsys.readouterr()
    return ended.value.code, captured.out, captured.err


@pytest.fixture
def eighty_columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")  # argparse wraps the usage and the help at the terminal's width


def stock_argparse(capsys, monkeypatch, *args: str) -> tuple[int, str, str]:
    """What argparse itself says for ARGS: the same command line built with argparse.ArgumentParser, no hook."""
    import argparse
    import contextlib

    from timecrowd_tray.cli import i18n_argparse

    with monkeypatch.context() as patch:
        patch.setattr(i18n_argparse, "ShellParser", argparse.ArgumentParser)
        patch.setattr(i18n_argparse, "argparse_speaks", contextlib.nullcontext)
        return usage_error(capsys, *args)


def test_usage_errors_in_english_are_as_they_were(settings, capsys, monkeypatch, eighty_columns):
    for args in (*USAGE_ERRORS_EN, ("log", "--help"), ("--help",), ("config",), ("idle",), ("login",),
                 ("start", "--a"), ("start", "--task", "x"), ("-V",)):
        assert usage_error(capsys, *args) == stock_argparse(capsys, monkeypatch, *args), args
    for words, _parser in parsers_and_names():  # every command's --help, its help texts as they were
        args = (*words, "--help")
        assert usage_error(capsys, *args) == stock_argparse(capsys, monkeypatch, *args), args
    if sys.version_info[:2] == (3, 11):  # the Python these were taken with (argparse's wording moves a little)
        for args, said in USAGE_ERRORS_EN.items():
            assert usage_error(capsys, *args) == (EXIT_USAGE, "", said), args
        assert usage_error(capsys, "log", "--help") == (EXIT_OK, HELP_EN, "")
    code, out, _ = usage_error(capsys, "--help")
    assert code == EXIT_OK and "\npositional arguments:\n  COMMAND\n" in out and "\noptions:\n" in out
    assert "  -V, --version   show program's version number and exit\n" in out


def test_usage_errors_in_japanese(japanese, capsys, eighty_columns):
    def said(*args: str) -> str:
        code, out, err = usage_error(capsys, *args)
        assert (code, out) == (EXIT_USAGE, ""), args  # argparse's exit code, as in English
        return err

    assert said("start", "--at") == (
        "使い方：timecrowd-tray start [-h] [--task ID] [--at TIME] [--allow-overlap]\n"
        "                             [QUERY ...]\n"  # under "[-h]": 使い方： takes 8 columns on the screen
        "timecrowd-tray start: 引数 --at：値を 1 つ指定してください。\n")
    assert said("add", "--from", "9:00").endswith("\ntimecrowd-tray add: --to を指定してください。\n")
    assert said("config").endswith("\ntimecrowd-tray config: ACTION を指定してください。\n")
    assert said("stop", "extra").endswith("\ntimecrowd-tray: 「extra」という引数はありません。\n")
    assert said("frobnicate").endswith(
        "\ntimecrowd-tray: 引数 COMMAND：'frobnicate' は指定できません。'login', 'logout', 'whoami', 'config', "
        "'toggle', 'start', 'stop', 'status', 'palette', 'log', 'add', 'edit', 'delete', 'today', 'idle' "
        "のいずれかを指定してください。\n")
    assert said("idle", "maybe") == (
        "使い方：timecrowd-tray idle [-h] {keep,discard,continue}\n"
        "timecrowd-tray idle: 引数 answer：'maybe' は指定できません。'keep', 'discard', 'continue' "
        "のいずれかを指定してください。\n")
    assert said("start", "--task", "x").endswith(
        "\ntimecrowd-tray start: 引数 --task：'x' は int の値として読み取れません。\n")
    assert said("edit", "nope").endswith(
        "\ntimecrowd-tray edit: 引数 ENTRY_ID：'nope' は作業記録の ID ではありません。"
        "ID か、「timecrowd-tray log」で表示される local-N を指定してください。\n")
    assert said("login", "--with-token", "--with-browser").endswith(
        "\ntimecrowd-tray login: 引数 --with-browser：--with-token と同時には指定できません。\n")
    assert said("login").endswith(
        "\ntimecrowd-tray login: --with-token --with-browser のいずれかを指定してください。\n")
    assert said("status", "--json=1").endswith("\ntimecrowd-tray status: 引数 --json：'1' という値は指定できません。\n")
    assert said("start", "--a").endswith(
        "\ntimecrowd-tray start: --a だけでは --at, --allow-overlap, --api-base のどれか決められません。\n")
    for args in USAGE_ERRORS_EN:
        assert not re.search(r"usage:|error:|argument|expected|invalid|unrecognized|required", said(*args)), args

    code, out, err = usage_error(capsys, "log", "--help")
    assert (code, err) == (EXIT_OK, "")
    assert out.startswith("使い方：timecrowd-tray log [-h] [--date DATE] [--json]\n")
    assert "\nオプション：\n  -h, --help   このヘルプを表示して終了します\n" in out
    code, out, err = usage_error(capsys, "--help")
    assert code == EXIT_OK and "\n引数：\n  COMMAND\n" in out and "\nオプション：\n" in out
    assert "  -V, --version   バージョンを表示して終了します\n" in out
    assert not re.search(r"usage:|positional arguments|options:|show this help|version number", out)
    assert "{" not in out  # the usage's braces are argparse's own ({keep,discard,continue}); none here


def test_argparse_follows_the_locale_and_english_stays_english(shell_env):
    conf = Path(shell_env["XDG_CONFIG_HOME"]) / "timecrowd-tray" / "timecrowd-tray.conf"
    conf.write_text("[General]\nlanguage=system\n", encoding="utf-8")
    result = cli({**shell_env, "LANG": "ja_JP.UTF-8", "COLUMNS": "80"}, "start", "--at")
    assert (result.returncode, result.stdout) == (EXIT_USAGE, "")
    assert result.stderr.endswith("\ntimecrowd-tray start: 引数 --at：値を 1 つ指定してください。\n")
    english = cli({**shell_env, "COLUMNS": "80"}, "start", "--at")
    assert english.returncode == EXIT_USAGE
    assert english.stderr.endswith("\ntimecrowd-tray start: error: argument --at: expected one argument\n")
    conf.write_text("[General]\nlanguage=en\n", encoding="utf-8")
    result = cli({**shell_env, "LANG": "ja_JP.UTF-8", "COLUMNS": "80"}, "start", "--at")
    assert (result.returncode, result.stderr) == (EXIT_USAGE, english.stderr)


def test_argparse_is_itself_again_after_the_command_line(japanese, capsys):
    import argparse

    from timecrowd_tray.cli import i18n_argparse

    before = argparse._, argparse.ngettext
    usage_error(capsys, "start", "--at")
    with i18n_argparse.argparse_speaks("ja"):
        assert argparse._("expected one argument") == "値を 1 つ指定してください。"
        assert argparse.ngettext("expected %s argument", "expected %s arguments", 2) == "値を %s 個指定してください。"
        assert argparse._("%(prog)s: error: %(message)s\n") == "%(prog)s: %(message)s\n"
        assert argparse._("a text argparse may add one day") == "a text argparse may add one day"
    assert (argparse._, argparse.ngettext) == before
    with i18n_argparse.argparse_speaks("en"):
        assert (argparse._, argparse.ngettext) == before  # English: argparse untouched


def test_argparse_reads_the_language_only_when_it_has_something_to_say(japanese, capsys, monkeypatch):
    """A command line that parses reads no setting before its command does (a damaged settings file is the
    command's to report: test_cli_config.py); an error reads it once."""
    from timecrowd_tray.cli import build_parser, i18n_argparse

    asked: list[str] = []
    monkeypatch.setattr(i18n_argparse, "language", lambda: asked.append("asked") or "ja")
    parser = build_parser()
    with i18n_argparse.argparse_speaks():
        parser.parse_args(["start", "--at", "9:00", "Review"])
    assert asked == []
    with i18n_argparse.argparse_speaks(), pytest.raises(SystemExit):
        parser.parse_args(["start", "--at"])
    assert asked == ["asked"]
    assert capsys.readouterr().err.endswith("\ntimecrowd-tray start: 引数 --at：値を 1 つ指定してください。\n")


def test_every_argparse_text_has_a_japanese_text_with_its_placeholders(japanese):
    from timecrowd_tray.cli.i18n_argparse import ARGPARSE_TEXTS
    from timecrowd_tray.cli.i18n_catalog import CONTEXT, catalog

    texts = catalog("ja")
    placeholders = re.compile(r"%\([a-z_]+\)[sr]|%[sr]")
    for text in ARGPARSE_TEXTS:
        translated = texts.get((CONTEXT, text))
        assert translated and translated != text, text
        assert sorted(placeholders.findall(translated)) == sorted(placeholders.findall(text)), text
    import argparse
    import inspect

    source = inspect.getsource(argparse)
    for text in ("usage: ", "positional arguments", "options", "show this help message and exit",
                 "the following arguments are required: %s", "unrecognized arguments: %s", "expected one argument",
                 "argument %(argument_name)s: %(message)s", "invalid choice: %(value)r (choose from %(choices)s)",
                 "%(prog)s: error: %(message)s\\n"):
        assert repr(text)[1:-1] in source or text in source, f"argparse no longer says {text!r}"


# -- the commands' help texts (help=, description=) ---------------------------------------------------------

def parsers_and_names():
    """(the words of the command, its parser) for the top level and every command, subcommands included."""
    import argparse

    from timecrowd_tray.cli import build_parser

    found = []

    def walk(words: tuple[str, ...], parser: argparse.ArgumentParser) -> None:
        found.append((words, parser))
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    walk((*words, name), child)

    walk((), build_parser())
    return found


def help_texts() -> list[str]:
    """Every help text the commands give argparse: descriptions, the options' and the commands' helps."""
    import argparse

    texts = []
    for _words, parser in parsers_and_names():
        texts += [parser.description] if parser.description else []
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                texts += [choice.help for choice in action._choices_actions if choice.help]
            elif action.help and action.help is not argparse.SUPPRESS:
                texts.append(action.help)
    return list(dict.fromkeys(texts))


def test_every_help_text_has_a_japanese_text_with_its_placeholders(japanese):
    from timecrowd_tray.cli import i18n_from_below
    from timecrowd_tray.cli.i18n_argparse import _argparse_text, _translated, argparse_speaks

    texts = help_texts()
    assert len(texts) > 60
    # config's description lists the settings' own help texts (core/settings.py): each is marked from below
    assert sorted(i18n_from_below.SETTING_HELP) == sorted(setting.help for setting in SCHEMA.values())
    placeholders = re.compile(r"%\([a-z_]+\)[sdr]|%%")
    untranslated = []
    with argparse_speaks("ja"):
        for text in texts:
            translated = _translated(text, _argparse_text)
            if translated == text or not JAPANESE.search(translated):
                untranslated.append(text)
            # argparse expands a help with %: a translation keeps the placeholders and has no other %
            assert sorted(placeholders.findall(translated)) == sorted(placeholders.findall(text)), text
            assert "%" not in placeholders.sub("", translated), translated
            assert "{" not in translated, translated  # config's parts all filled in
    assert not untranslated, "help texts without a Japanese text (mark them with N_, translate them):\n" + \
        "\n".join(map(repr, untranslated))
    with argparse_speaks("ja"):
        description = _translated(config_parser().description, _argparse_text)
    assert description.startswith("トレイの設定ウィンドウで変更できる設定を表示・変更します。キーは次のとおりです。"
                                  "api_base：TimeCrowd サーバーの URL（")
    assert "。language：表示言語（system、ja、en のいずれか）。autostart：" in description
    assert description.endswith("（0 なら日をまたいだときだけ）。")


def config_parser():
    return dict(parsers_and_names())[("config",)]


def test_the_config_description_in_english_is_as_it_was():
    keys = "; ".join(f"{key}: {setting.help}" for key, setting in SCHEMA.items())
    assert config_parser().description == \
        "Show or change the settings the tray's settings dialog edits. Keys: " + keys


def test_help_in_japanese(japanese, capsys, eighty_columns):
    """--help of the top level and of every command: Japanese help lines, wrapped by the columns they take."""
    from timecrowd_tray.cli.i18n_argparse import columns

    english = [str(text) for text in help_texts()]
    for words, _parser in parsers_and_names():
        code, out, err = usage_error(capsys, *words, "--help")
        assert (code, err) == (EXIT_OK, ""), words
        usage, _, body = out.partition("\n\n")
        assert usage.startswith("使い方：timecrowd-tray"), words
        for text in english:
            # no English help text, nor its start when argparse would wrap it
            assert text[:24] not in body, (words, text)
        for line in body.splitlines():
            assert columns(line) <= 78, (words, line)  # COLUMNS=80: argparse keeps two for the margin
            assert not re.match(r"\s*[、。）」：]", line), (words, line)  # a closing mark never starts a line
            assert not re.search(r"[（「]$", line), (words, line)  # nor does an opening one end it
        assert not re.search(r"usage:|positional arguments|options:|show this help", out), words

    _, out, _ = usage_error(capsys, "start", "--help")
    assert "\n  --at TIME        さかのぼって指定する開始時刻（HH:MM、905、-15m など）\n" in out
    assert "\n  --allow-overlap  --at のとき：ほかの作業記録と重なっても開始します\n" in out
    assert "\n  QUERY            タスク名に含まれる語句\n" in out
    _, out, _ = usage_error(capsys, "--help")
    assert "\n    start         タスクを開始します（QUERY に最もよく一致するタスク、--task\n" \
           "                  ID のタスク、または前回のタスク）\n" in out
    assert "\n\nTimeCrowd 用のシステムトレイのタイマーです。コマンドを指定しないと、トレイのア\n" \
           "プリを起動します。\n\n" in out  # 78 columns, then the rest: wrapped by the columns, not the characters
    _, out, _ = usage_error(capsys, "login", "--help")
    assert "\n  --timeout SECONDS  ブラウザーでのサインインを待つ秒数（既定値：300）\n" in out


def test_the_help_is_translated_when_it_is_printed(japanese, capsys, monkeypatch, settings):
    """The parser is built (and a command line read) in no language: one parser prints either."""
    from timecrowd_tray.cli import build_parser, i18n_argparse

    asked: list[str] = []
    monkeypatch.setattr(i18n, "language", lambda: asked.append("tr") or "ja")
    monkeypatch.setattr(i18n_argparse, "language", lambda: asked.append("argparse") or "ja")
    parser = build_parser()
    with i18n_argparse.argparse_speaks():
        parser.parse_args(["add", "--from", "9:00", "--to", "10:00", "Review"])
    assert asked == []
    start = dict(parsers_and_names())[("start",)]
    with i18n_argparse.argparse_speaks("ja"):
        assert "さかのぼって指定する開始時刻" in start.format_help()
    with i18n_argparse.argparse_speaks("en"):
        assert "backdated: the time it started (HH:MM, 905, or -15m)" in start.format_help()
    assert "backdated: the time it started" in start.format_help()  # outside: argparse's own gettext


def test_japanese_is_wrapped_by_its_columns():
    from timecrowd_tray.cli.i18n_argparse import columns, wrap_columns

    text = "作業記録 ENTRY_ID の、指定した項目を変更します（計測中の作業記録も、開始時刻とコメントを変更できます）。"
    for width in range(12, 60):
        lines = wrap_columns(text, width)
        assert all(columns(line) <= width for line in lines), (width, lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", ""), width  # only spaces go at a break
        assert not any(line[0] in "、。）" or line[-1] == "（" for line in lines), (width, lines)
    # an ASCII run is never cut (alone on its line when longer); a space at a break goes
    assert wrap_columns("「timecrowd-tray log」に表示される ID", 12) == ["「timecrowd-tray", "log」に表示", "される ID"]
    assert wrap_columns("設定の api_base、https://timecrowd.net の順", 17) == \
        ["設定の api_base、", "https://timecrowd.net", "の順"]


def test_a_help_text_of_parts_is_translated_part_by_part():
    from timecrowd_tray.cli.i18n_argparse import HelpList, HelpText

    catalog = {"Keys: {keys}": "キー：{keys}", "{key}: {help}": "{key}（{help}）", "; ": "、", "start": "開始"}
    text = HelpText("Keys: {keys}", keys=HelpList("; ", [HelpText("{key}: {help}", key="start", help=HelpText("start")),
                                                        HelpText("{key}: {help}", key="stop", help=HelpText("stop"))]))
    assert text == "Keys: start: start; stop: stop"  # as a str: the English, as argparse lays it out without us
    assert text.translated(lambda t: catalog.get(t, t)) == "キー：start（開始）、stop（stop）"  # names stay as they are
    broken = {**catalog, "Keys: {keys}": "キー：{kyes}"}
    assert text.translated(lambda t: broken.get(t, t)) == "Keys: start（開始）、stop（stop）"  # the English template


# -- relaying messages from below ---------------------------------------------------------------------------

def test_relay_translates_known_texts_and_keeps_the_servers_words(japanese, monkeypatch):
    assert i18n.relay("nothing was done", sentence=True) == "何もしていません。"
    assert i18n.relay("nothing was done") == "何もしていません"
    assert i18n.relay("poll_interval: nope") == "poll_interval: nope"  # not one of ours: as it is
    assert i18n.relay("タスクは既にアーカイブされています", sentence=True) == "タスクは既にアーカイブされています"
    assert i18n.relay(messages.tr(messages.COMMENT_TOO_LONG, limit=1000, length=1200)) == \
        "コメントは 1000 文字以内にしてください（現在 1200 文字）。"  # the service's own texts too
    assert i18n.relay("cannot look the task up on TimeCrowd now (task suggestions: cannot reach the server "
                      "(ConnectError)); nothing was started", sentence=True) == \
        ("今は TimeCrowd でタスクを検索できません（サーバーに接続できません：task suggestions、ConnectError）。"
         "何も開始していません。")
    assert i18n.relay(credmod.CredentialsUnavailable.timed_out(5).user_message).startswith(
        "キーリングから 5 秒以内に応答がありませんでした")
    monkeypatch.setattr(i18n, "language", lambda: "en")
    assert i18n.relay("nothing was done") == "nothing was done"


def test_api_errors_in_japanese(japanese):
    from timecrowd_tray.api import errors

    said = errors.ValidationFailed("start: HTTP 422", messages=(" タスクは既にアーカイブされています ",))
    assert i18n.api_message(said) == i18n.api_detail(said) == "タスクは既にアーカイブされています"
    unreachable = errors.NetworkError("user info: cannot reach the server (ConnectError)")
    assert i18n.api_message(unreachable) == "TimeCrowd に接続できません。ネットワーク接続を確認してください。"
    assert i18n.api_detail(unreachable) == "サーバーに接続できません：user info、ConnectError"
    assert i18n.api_detail(errors.Unauthorized("user info: HTTP 401: the token was rejected")) == \
        "HTTP 401、トークンが拒否されました：user info"


#: Where the messages the shell relays are written, and how to find them in each module's source.
RELAYED_FROM = {
    "services/commands.py": {"calls": {"refused"}, "names": {"what"}, "error_keys": True},
    "services/entry_commands.py": {"calls": {"refused"}},
    "ui/controls.py": {"calls": {"refused"}, "error_keys": True},
    "ui/sign_in_flow.py": {"error_keys": True},
    "platform/instance/client.py": {"calls": {"NoAnswer", "InstanceError"}},
    "platform/instance/protocol.py": {"calls": {"InstanceError"}},
    "platform/instance/paths.py": {"calls": {"UntrustedSocket"}},
    "platform/instance/lock.py": {"calls": {"InstanceError", "UntrustedLock"}},
    "core/settings.py": {"calls": {"InvalidSetting"}},
    "core/endpoint.py": {"calls": {"InvalidApiBase"}},
    "platform/settings_store.py": {"calls": {"SettingsWriteError"}},
    "platform/autostart/xdg.py": {"calls": {"AutostartError"}},
    "platform/autostart/macos.py": {"calls": {"AutostartError"}},
    "platform/autostart/windows.py": {"calls": {"AutostartError"}},
    "services/credentials.py": {"names": {"_MESSAGES"}, "keywords": {"user_message"}},
    "services/oauth_loopback.py": {"calls": {"OAuthError"}, "argument": 1},
    "services/session.py": {"calls": {"OAuthError"}, "argument": 1},
    "api/client.py": {"calls": {"NetworkError", "ApiTimeout"}},
    "core/token_format.py": {"names": {"MESSAGES"}},
}
#: Messages there the shell never prints (with why).
NEVER_PRINTED = {
    "X1: X2",  # a prefix put on another message (its key, or where a value came from): parts relayed apart
    "X1",  # str(exc) passed on
    "unknown setting 'X1'; known: X2",  # parse_setting: the shell checks the key first (config._known)
    "settings_changed needs the list of the setting keys that changed",  # only for a malformed request
}


def sample(node: ast.AST, counter: list[int]) -> str | None:
    """The text ``node`` builds, each formatted value as X1, X2... (None: not a text)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return re.sub(r"\{[a-z_]+\}", lambda m: next_x(counter), node.value)
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            else:
                x = next_x(counter)
                parts.append(f"'{x}'" if isinstance(value, ast.FormattedValue) and value.conversion == ord("r") else x)
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = sample(node.left, counter), sample(node.right, counter)
        return (left if left is not None else next_x(counter)) + (right if right is not None else next_x(counter))
    if isinstance(node, ast.BoolOp):
        texts = [sample(v, counter) for v in node.values]
        return next((t for t in texts if t is not None), None)
    return None


def next_x(counter: list[int]) -> str:
    counter[0] += 1
    return f"X{counter[0]}"


def relayed_texts(relative: str, how: dict) -> list[str]:
    tree = ast.parse((PACKAGE / relative).read_text(encoding="utf-8"))
    found = []

    def add(node):
        text = sample(node, [0])
        if text is not None:
            found.append(text)

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            index = how.get("argument", 0)
            if name in how.get("calls", ()) and len(node.args) > index:
                add(node.args[index])
            for keyword in node.keywords:
                if keyword.arg in how.get("keywords", ()):
                    add(keyword.value)
        elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None and any(
                isinstance(t, ast.Name) and t.id in how.get("names", ())
                for t in (node.targets if isinstance(node, ast.Assign) else [node.target])):
            values = node.value.values if isinstance(node.value, ast.Dict) else [node.value]
            for value in values:
                add(value)
        elif isinstance(node, ast.Dict) and how.get("error_keys"):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and key.value == "error":
                    add(value)
        elif isinstance(node, ast.Assign) and how.get("error_keys") and any(
                isinstance(t, ast.Subscript) and isinstance(t.slice, ast.Constant) and t.slice.value == "error"
                for t in node.targets):
            add(node.value)
    return found


def variants(text: str) -> list[str]:
    """``f"cannot {what} ..."`` (autostart): the texts it becomes."""
    if text.startswith("cannot X1 "):
        return [text.replace("X1", verb, 1) for verb in ("write", "remove")]
    return [text]


def test_every_message_the_shell_relays_has_a_japanese_text(japanese):
    untranslated = []
    for relative, how in RELAYED_FROM.items():
        texts = relayed_texts(relative, how)
        assert texts, f"no message found in {relative}: update RELAYED_FROM"
        for text in [v for t in texts for v in variants(t)]:
            if text in NEVER_PRINTED:
                continue
            translated = i18n.relay(text)
            if translated == text or not JAPANESE.search(translated):
                untranslated.append(f"{relative}: {text!r}")
    assert not untranslated, ("messages the shell would print in English (add them to "
                              "cli/i18n_from_below.py FROM_BELOW, translate them in the Shell context):\n"
                              + "\n".join(untranslated))

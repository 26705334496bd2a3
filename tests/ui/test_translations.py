"""Every user-visible string has a Japanese translation, and the compiled .qm matches the .ts."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from timecrowd_tray.services import messages
from timecrowd_tray.ui import service_strings
from timecrowd_tray.ui.i18n import Translations, qm_path, resolve_language
from timecrowd_tray.ui.resources import TRANSLATIONS

ROOT = Path(__file__).resolve().parents[2]
JA_TS = TRANSLATIONS / "timecrowd_tray_ja.ts"
EN_TS = TRANSLATIONS / "timecrowd_tray_en.ts"
PLACEHOLDER = re.compile(r"%\d|%n|\{[a-z_]+\}")


def messages_of(path: Path):
    for context in ET.parse(path).getroot().findall("context"):
        name = context.findtext("name") or ""
        for message in context.findall("message"):
            yield name, message


def test_every_japanese_string_is_translated():
    problems = []
    count = 0
    for context, message in messages_of(JA_TS):
        count += 1
        source = message.findtext("source") or ""
        translation = message.find("translation")
        where = f"{context}: {source!r}"
        if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
            problems.append(f"{where} is not translated")
            continue
        forms = [f.text or "" for f in translation.findall("numerusform")] if message.get("numerus") == "yes" \
            else [translation.text or ""]
        if not all(f.strip() for f in forms):
            problems.append(f"{where} has an empty translation")
        for form in forms:
            if sorted(PLACEHOLDER.findall(form)) != sorted(PLACEHOLDER.findall(source)):
                problems.append(f"{where}: placeholders differ in {form!r}")
    assert count > 50
    assert not problems, "\n".join(problems)


def test_english_plural_forms_are_filled():
    for context, message in messages_of(EN_TS):
        assert message.get("numerus") == "yes"
        forms = [f.text for f in message.find("translation").findall("numerusform")]
        assert len(forms) == 2 and all(forms), (context, message.findtext("source"))


@pytest.mark.parametrize("language", ["ja", "en"])
def test_compiled_qm_matches_the_ts(qapp, language):
    ts = TRANSLATIONS / f"timecrowd_tray_{language}.ts"
    translator = QTranslator()
    assert translator.load(str(qm_path(language))), f"{qm_path(language)} missing: run scripts/translations.sh"
    stale = []
    for context, message in messages_of(ts):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if message.get("numerus") == "yes":
            forms = [f.text for f in translation.findall("numerusform")]
            pairs = [(1, forms[0]), (5, forms[-1])]
        else:
            pairs = [(-1, translation.text)]
        for n, expected in pairs:
            got = translator.translate(context, source, None, n)
            if got != expected:
                stale.append(f"{context}: {source!r} -> {got!r}, .ts says {expected!r}")
    assert not stale, "the .qm is older than the .ts: run scripts/translations.sh\n" + "\n".join(stale)


def test_the_ts_has_every_string_of_the_code(tmp_path):
    """Extract again (as scripts/translations.sh does) and compare: a new tr() string fails here."""
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    if not lupdate.exists():
        lupdate = Path(shutil.which("pyside6-lupdate") or "")
    assert lupdate.is_file(), "pyside6-lupdate not found (it comes with PySide6)"
    sources = sorted(str(p) for p in (ROOT / "desktop/timecrowd_tray/ui").glob("*.py"))
    sources.append(str(ROOT / "desktop/timecrowd_tray/app.py"))
    fresh = tmp_path / "fresh.ts"
    subprocess.run([str(lupdate), "-silent", "-locations", "none", *sources, "-ts", str(fresh)], check=True,
                   cwd=ROOT, timeout=120)
    subprocess.run([sys.executable, str(ROOT / "scripts/ts_contexts.py"), str(fresh), *sources], check=True,
                   cwd=ROOT, timeout=60, capture_output=True)
    in_code = {(c, m.findtext("source")) for c, m in messages_of(fresh)}
    in_ts = {(c, m.findtext("source")) for c, m in messages_of(JA_TS)}
    missing = sorted(in_code - in_ts)
    assert not missing, "strings without a Japanese translation (run scripts/translations.sh, then translate):\n" + \
        "\n".join(f"  {c}: {s!r}" for c, s in missing)


def test_service_messages_are_listed_for_lupdate():
    constants = {value for name, value in vars(messages).items()
                 if name.isupper() and isinstance(value, str) and name != "CONTEXT"}
    assert set(service_strings.texts()) == constants


def test_the_service_messages_for_lupdate_are_generated_from_the_constants():
    """The list lupdate reads is generated from services/messages.py: in order, each constant once."""
    source = Path(service_strings.__file__).read_text(encoding="utf-8")
    assert service_strings.current_lines(source) == service_strings.generated_lines(), \
        "out of date: run python -m timecrowd_tray.ui.service_strings"
    assert len(service_strings.texts()) == len(service_strings.service_messages())


def test_language_setting_and_system_language(qapp, monkeypatch):
    translations = Translations(qapp)
    try:
        assert translations.apply("ja") == "ja"
        assert QCoreApplication.translate("TrayMenu", "Stop with comment…") == "コメントを付けて停止…"
        assert messages.tr(messages.COMMENT_TOO_LONG, limit=1000, length=1200) == \
            "コメントは 1000 文字以内にしてください（現在 1200 文字）。"
        assert translations.apply("en") == "en"
        assert QCoreApplication.translate("TrayMenu", "Stop with comment…") == "Stop with comment…"
        assert QCoreApplication.translate("TrayMenu", "Pending changes (%n)", None, 3) == "Pending changes (3)"
        monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale(QLocale.Language.Japanese)))
        assert resolve_language("system") == "ja"
        monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale(QLocale.Language.German)))
        assert resolve_language("system") == "en"
    finally:
        translations.apply("en")


def test_menu_in_japanese(qapp, app_under_test):
    translations = Translations(qapp)
    try:
        translations.apply("ja")
        app = app_under_test
        app.tray.menu.aboutToShow.emit()
        texts = [a.text() for a in app.tray.menu.actions()]
        assert "計測していません" in texts
        assert "開始…" in texts and "最近のタスク" in texts and "TimeCrowd で開く" in texts  # GLOSSARY.md: spacing
        assert any(t.startswith("今日の合計：") for t in texts)  # GLOSSARY.md: a full-width colon after a label
        assert texts[-3:] == ["設定…", "サインアウト", "終了"]
        app.tray.menu.aboutToHide.emit()
    finally:
        translations.apply("en")


# -- the glossary's mechanical rules (resources/translations/GLOSSARY.md) -------------------------------

JAPANESE = r"\u3040-\u30ff\u3400-\u9fff"  # kana and kanji
FULL_WIDTH = r"\u3000-\u303f\uff00-\uffef"  # 「」、。（）： and the other full-width forms
PUNCTUATION_RULES = [
    ("an ASCII colon next to Japanese (use 「：」)", re.compile(rf"[{JAPANESE}] ?:|:(?!//) ?[{JAPANESE}]")),
    ("an ASCII ? or ! after Japanese (use 「？」「！」)", re.compile(rf"[{JAPANESE}][?!]")),
    ("an ASCII parenthesis next to Japanese (use 「（）」)",
     re.compile(rf"[{JAPANESE}{FULL_WIDTH}] ?\(|\( ?[{JAPANESE}{FULL_WIDTH}]|[{JAPANESE}{FULL_WIDTH}] ?\)"
                rf"|\) ?[{JAPANESE}{FULL_WIDTH}]")),
    ("no space between Japanese and an ASCII word, number or placeholder",
     re.compile(rf"[{JAPANESE}][A-Za-z0-9%{{]|[A-Za-z0-9}}][{JAPANESE}]")),
]
#: Terms the glossary rejects (its "not" column), with the one to use instead.
REJECTED_TERMS = {
    "サインアウト中": "サインインしていません",  # reads as "signing out right now"
    "最新のタスク": "前回のタスク",
    "開始/停止": "開始・停止",
    "OS のキーリング": "システムのキーリング",
    "送信待ちの操作": "未送信の変更",
    "ほかの場所で": "別の場所で",
    "他の場所で": "別の場所で",
    "エントリー": "作業記録",
    "コンフリクト": "その間に別の場所で変更されました",
    "何も行っていません": "何もしていません",
}
#: Known exceptions, each (context, source, translation) exactly: texts of contexts another change
#: owns, to be fixed there (a new text, or another translation, is checked like any other).
NOT_YET_FOLLOWING_THE_GLOSSARY: set[tuple[str, str, str]] = set()


def glossary_problems(text: str) -> list[str]:
    found = [name for name, rule in PUNCTUATION_RULES if rule.search(text)]
    found += [f"「{term}」: use 「{instead}」" for term, instead in REJECTED_TERMS.items() if term in text]
    return found


def test_the_glossary_rules_catch_the_old_mistakes():
    assert glossary_problems("言語:") and glossary_problems("オフライン: TimeCrowd に接続できたら")
    assert glossary_problems("未送信の変更 (%n)") and glossary_problems("山田 花子 (demo)（hanako）としてサインイン")
    assert glossary_problems("TimeCrowdで開く") and glossary_problems("%n件") and glossary_problems("本当?")
    assert glossary_problems("サインアウト中") and glossary_problems("クリックで最新のタスクを開始")
    assert glossary_problems("開始/停止のショートカット")
    # ASCII-only parts keep their punctuation: URLs, addresses, key names, commands, placeholders.
    for fine in ("http:// は 127.0.0.1、::1、localhost のみ", "リダイレクト URI に http://127.0.0.1/callback を登録",
                 "（例：timecrowd-tray login --with-token < file）", "「Ctrl+Alt+T」", "%1（%2 から）",
                 "今日の合計：%1", "未送信の変更（%n）", "TimeCrowd で開く", "Esc で閉じる", "設定 - TimeCrowd Tray"):
        assert glossary_problems(fine) == [], fine


def test_japanese_texts_follow_the_glossary():
    problems = []
    for context, message in messages_of(JA_TS):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        forms = [f.text or "" for f in translation.findall("numerusform")] if message.get("numerus") == "yes" \
            else [translation.text or ""]
        for form in forms:
            if (context, source, form) in NOT_YET_FOLLOWING_THE_GLOSSARY:
                continue
            problems += [f"{context}: {source!r} -> {form!r}: {p}" for p in glossary_problems(form)]
    assert not problems, "see resources/translations/GLOSSARY.md:\n" + "\n".join(problems)


def test_the_listed_issues_are_fixed():
    """"A first day without traps": the texts it quoted."""
    translator = QTranslator()
    assert translator.load(str(qm_path("ja")))
    assert translator.translate("TrayMenu", "Signed out") == "サインインしていません"
    assert translator.translate("TrayController", "Signed out: click to sign in") == \
        "サインインしていません：クリックしてサインイン"
    # The idle tooltip names the task a click starts (issue #16), in 「」.
    assert translator.translate("TrayController", "Not tracking: click to start “%1”") == \
        "計測していません：クリックで「%1」を開始"
    # The account's name may carry ASCII brackets itself ("山田 花子 (demo)"): the e-mail is not put next to it.
    signed_in = translator.translate("SignInWindow", "Signed in as %1 (%2)")
    assert signed_in.replace("%1", "山田 花子 (demo)").replace("%2", "hanako@example.com") == \
        "山田 花子 (demo) としてサインイン（hanako@example.com）"
    assert translator.translate("TrayMenu", "Pending changes (%n)", None, 3) == "未送信の変更（%n）"


# -- the shell's texts (the Shell context, cli/i18n.py) ---------------------------------------------------

def test_the_shell_texts_for_lupdate_are_generated_from_the_code():
    from timecrowd_tray.cli import i18n_listing as listing

    source = listing.LISTING.read_text(encoding="utf-8")
    assert listing.current_lines(source) == listing.generated_lines(), \
        "out of date: run python -m timecrowd_tray.cli.i18n (then scripts/translations.sh)"
    shell = {m.findtext("source"): m for c, m in messages_of(JA_TS) if c == "Shell"}
    missing = [t for t in listing.shell_texts() if t not in shell]
    assert not missing, "shell texts without a Japanese translation:\n" + "\n".join(map(repr, missing))
    assert len(listing.shell_texts()) > 100


def test_the_shell_reads_the_compiled_catalog_as_qt_does():
    """cli.i18n_catalog.read_qm (no Qt) gives what QTranslator gives, for every message of both catalogs."""
    from timecrowd_tray.cli.i18n_catalog import read_qm

    for language in ("ja", "en"):
        translator = QTranslator()
        assert translator.load(str(qm_path(language)))
        read = read_qm(qm_path(language).read_bytes())
        for context, message in messages_of(TRANSLATIONS / f"timecrowd_tray_{language}.ts"):
            source = message.findtext("source") or ""
            assert read.get((context, source)) == translator.translate(context, source, None, 1), (context, source)
    assert read_qm(b"not a catalog") == {}

"""The tray controller with the real service against the in-process emulator.

Clicks go through ``QSystemTrayIcon.activated`` (what Qt emits for a real
click), and every effect is checked where it matters: on the emulated server.
"""

from __future__ import annotations

from datetime import UTC

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication, QLabel, QSystemTrayIcon

from timecrowd_tray.core.timer import Phase
from timecrowd_tray.services import events as ev
from timecrowd_tray.ui.icon_spec import Badge, Look

from .conftest import flush_deletes, ime_commit, run_async

Reason = QSystemTrayIcon.ActivationReason


def click(app, reason=Reason.Trigger):
    app.tray.tray.activated.emit(reason)


def run_deferred():
    """What a click left for the event loop (the notification, the comment dialog: a 0 ms single shot)."""
    QApplication.processEvents()


def busy_timers(app):
    """The controller's timers, less the 30 s check for a tray (offscreen has none)."""
    return [t for t in app.tray.live_timers() if t != "tray-watch"]


def menu_names(menu):
    return [a.objectName() for a in menu.shown_actions() if a.objectName() and not a.isSeparator()]


def open_menu(app):
    app.tray.menu.aboutToShow.emit()  # what Qt emits before showing it (rebuild + live timer)
    return app.tray.menu


def close_menu(app):
    app.tray.menu.aboutToHide.emit()


def test_starts_idle_with_the_idle_icon(app_under_test):
    app = app_under_test
    assert app.service.state.phase is Phase.IDLE
    assert app.tray.icon_spec.look is Look.IDLE
    assert "TimeCrowd Tray" in app.tray.tray.toolTip()
    assert busy_timers(app) == []  # idle: nothing ticks at all


def test_left_click_starts_the_latest_task_then_stops_and_asks_for_a_comment(qtbot, app_under_test):
    app = app_under_test
    latest_task_id = app.latest_entry()["task_id"]
    click(app)
    # optimistic: the icon runs at once, before the server answered
    assert app.tray.icon_spec.look is Look.RUNNING
    qtbot.waitUntil(lambda: app.running() is not None, timeout=5000)
    assert app.running()["task_id"] == latest_task_id
    qtbot.waitUntil(lambda: app.service.state.phase is Phase.RUNNING, timeout=5000)
    assert app.tray.icon_spec.badge is Badge.NONE
    entry_id = app.running()["id"]

    app.clock.advance(25 * 60 + 7)
    with qtbot.waitSignal(app.tray.comment_dialog_shown, timeout=2000) as shown:
        click(app)
    dialog = shown.args[0]
    qtbot.waitUntil(lambda: app.running() is None, timeout=5000)
    assert dialog.isVisible()
    assert dialog.task_label.text() == app.task_record(latest_task_id)["title"]
    assert "0:25:07" in dialog.detail_label.text()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.edit, timeout=2000)
    ime_commit(dialog.edit, "レビュー完了")
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(dialog.edit, "done")
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    assert not dialog.isVisible()

    def comment():
        entry = app.emulator.entry(entry_id)
        record = app.emulator.comment_of(entry)
        return record["content"] if record else None

    qtbot.waitUntil(lambda: comment() is not None, timeout=5000)
    assert comment() == "レビュー完了\ndone"


def test_no_comment_dialog_when_the_setting_is_off(qtbot, app_under_test):
    app = app_under_test
    app.settings.set("comment_on_stop", False)
    click(app)
    qtbot.waitUntil(lambda: app.running() is not None, timeout=5000)
    click(app)
    qtbot.waitUntil(lambda: app.running() is None, timeout=5000)
    assert app.tray.comment_dialogs == []
    # "Stop with comment…" asks anyway
    click(app)
    qtbot.waitUntil(lambda: app.running() is not None, timeout=5000)
    with qtbot.waitSignal(app.tray.comment_dialog_shown, timeout=2000):  # once the stop is on its way
        app.tray.stop_with_comment()
    assert len(app.tray.comment_dialogs) == 1


def test_menu_when_idle(app_under_test):
    app = app_under_test
    menu = open_menu(app)
    names = menu_names(menu)
    assert names[0] == "header" and menu.actions()[0].text() == "Not tracking"
    assert names.index("startLatest") < names.index("palette") < names.index("recent") < names.index("today")
    assert "stop" not in names and "pending" not in names
    assert names[-3:] == ["settings", "signOut", "quit"]
    latest = app.service.recent_tasks[0]
    assert latest.title in menu.action_named("startLatest").text()
    recent = [a for a in menu.recent_menu.actions() if a.isVisible()]
    assert 1 <= len(recent) <= 10
    assert all(" — " in a.text() for a in recent)  # with their team
    assert menu.action_named("today").text().startswith("Today: ")
    close_menu(app)


def test_menu_when_running_is_live_and_switches_tasks(qtbot, app_under_test):
    app = app_under_test
    click(app)
    qtbot.waitUntil(lambda: app.service.state.phase is Phase.RUNNING, timeout=5000)
    task = app.service.state.task
    menu = open_menu(app)
    names = menu_names(menu)
    assert names[0] == "header"
    assert menu.actions()[0].text() == "● " + task.title
    detail = menu.actions()[1].text()
    assert "0:00:00" in detail and task.team_name in detail
    assert {"stop", "stopWithComment", "palette", "recent", "openInBrowser"} <= set(names)
    assert "startLatest" not in names
    assert "second" in busy_timers(app)  # ticking while the menu is open

    app.clock.advance(65)
    qtbot.waitUntil(lambda: "0:01:05" in menu.actions()[1].text(), timeout=3000)
    assert menu.action_named("openInBrowser").isEnabled()
    menu.action_named("openInBrowser").trigger()
    assert app.opened_urls == [app.service.state.html_url]

    other = next(a for a in menu.recent_menu.actions() if a.isEnabled())
    other_id = other.data()
    other.trigger()
    qtbot.waitUntil(lambda: (app.running() or {}).get("task_id") == other_id, timeout=5000)
    close_menu(app)
    qtbot.waitUntil(lambda: "second" not in busy_timers(app), timeout=3000)


def test_menu_when_signed_out(qtbot, app_under_test):
    app = app_under_test
    run_async(qtbot, app.service.sign_out())
    assert app.tray.icon_spec.look is Look.SIGNED_OUT
    menu = open_menu(app)
    assert menu_names(menu) == ["header", "signIn", "settings", "quit"]
    with qtbot.waitSignal(app.tray.sign_in_requested, timeout=1000):
        menu.action_named("signIn").trigger()
    with qtbot.waitSignal(app.tray.sign_in_requested, timeout=1000):
        click(app)  # a click while signed out asks to sign in
    close_menu(app)


def test_offline_actions_are_kept_and_shown_pending(qtbot, app_under_test):
    app = app_under_test
    app.emulator.faults.fail_next(status=503, count=1000)  # the server is down for a while
    click(app)
    assert app.tray.icon_spec.look is Look.RUNNING
    assert app.service.state.pending_count > 0  # kept in the outbox at once
    qtbot.waitUntil(lambda: app.service.state.offline, timeout=5000)
    assert app.tray.icon_spec.badge is Badge.OFFLINE
    menu = open_menu(app)
    pending = menu.action_named("pending")
    assert pending is not None and pending.text() == f"Pending changes ({app.service.state.pending_count})"
    assert any(a.text().startswith("Offline") for a in menu.actions())
    close_menu(app)
    app.emulator.faults.clear()
    app.tray.sync_now()
    qtbot.waitUntil(lambda: app.running() is not None and app.service.state.pending_count == 0, timeout=10_000)
    assert app.tray.icon_spec.badge is Badge.NONE


def test_minute_timer_only_while_running(qtbot, app_under_test):
    app = app_under_test
    tray = app.tray
    assert not tray.minute_timer.isActive()
    app.clock.advance(20)
    click(app)
    qtbot.waitUntil(lambda: app.service.state.phase is Phase.RUNNING, timeout=5000)
    assert tray.minute_timer.isActive() and not tray.second_timer.isActive()
    assert 0 < tray.minute_timer.remainingTime() <= 60_020

    def tray_host_paints():  # what a tray host does with the icon it was given: ask for its size
        tray.tray.icon().pixmap(QSize(22, 22))
        return tray.painter.renders

    renders = tray_host_paints()
    # within the same minute the icon is not painted again, whatever happens
    app.clock.advance(30)
    tray.view._on_minute()
    app.service.request_refresh(0)
    assert tray_host_paints() == renders
    # the next minute repaints (the ring moved): one pixmap, the size asked for
    app.clock.advance(31)
    tray.view._on_minute()
    assert tray_host_paints() == renders + 1 and tray.icon_spec.minutes == 1
    click(app)
    qtbot.waitUntil(lambda: app.service.state.phase is Phase.IDLE, timeout=5000)
    assert busy_timers(app) == []


def test_middle_click_opens_the_palette_and_enter_starts_the_choice(qtbot, app_under_test):
    app = app_under_test
    click(app, Reason.MiddleClick)
    palette = app.tray.palette
    assert palette is not None and palette.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is palette.field, timeout=2000)
    wanted = app.service.recent_tasks[2]
    ime_commit(palette.field, wanted.title)
    assert palette.rows()[0].task.id == wanted.id
    qtbot.keyClick(palette.field, Qt.Key.Key_Return)
    assert not palette.isVisible()
    qtbot.waitUntil(lambda: (app.running() or {}).get("task_id") == wanted.id, timeout=5000)


def test_double_click_does_nothing_more(app_under_test):
    app = app_under_test
    click(app, Reason.DoubleClick)
    assert app.tray.palette is None and app.service.state.phase is Phase.IDLE


def test_palette_creates_a_task(qtbot, app_under_test):
    app = app_under_test
    palette = app.tray.open_palette()
    ime_commit(palette.field, "新しいタスク")
    assert palette.rows()[-1].kind == "create"
    dest = palette.current_destination()
    assert dest is not None
    palette.view.setCurrentIndex(palette.model.index(len(palette.rows()) - 1))
    qtbot.keyClick(palette.field, Qt.Key.Key_Return)

    def created():
        entry = app.running()
        return entry is not None and app.task_record(entry["task_id"])["title"] == "新しいタスク"

    qtbot.waitUntil(created, timeout=5000)
    assert app.task_record(app.running()["task_id"])["team_id"] == dest.team.id


def test_server_error_is_notified_verbatim(app_under_test):
    app = app_under_test
    app.tray._on_event(ev.IntentRejected("選択中のチームでタスクの作成・編集・削除は許可されていません", "create"))
    notice = app.tray.notifier.history[-1]
    assert notice.kind == "error" and notice.message == "選択中のチームでタスクの作成・編集・削除は許可されていません"


def test_routine_notifications_follow_the_setting(qtbot, app_under_test):
    app = app_under_test
    app.settings.set("notifications", False)
    click(app)
    qtbot.waitUntil(lambda: app.running() is not None, timeout=5000)
    assert [n for n in app.tray.notifier.history if n.kind == "routine"] == []
    app.settings.set("notifications", True)
    app.settings.set("comment_on_stop", False)
    click(app)
    run_deferred()
    assert app.tray.notifier.history[-1].kind == "routine"


def test_changes_made_elsewhere_are_notified(qtbot, app_under_test):
    app = app_under_test
    task = app.service.recent_tasks[1]
    app.emulator.start_task(app.me, task.team_id, task.id)  # from the web app, say
    app.service.request_refresh(0)
    qtbot.waitUntil(lambda: any(n.kind == "elsewhere" for n in app.tray.notifier.history), timeout=5000)
    assert app.tray.icon_spec.look is Look.RUNNING


def test_without_a_tray_says_so_and_docks_when_one_appears(qtbot, qapp, settings_store, monkeypatch):
    from timecrowd_tray.ui import tray as tray_module

    controller = tray_module.TrayController(settings_store, announce_no_tray=True)
    monkeypatch.setattr(tray_module.QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    controller.show()
    notice = controller.no_tray_notice
    assert notice is not None and notice.isVisible()
    assert "AppIndicator" in notice.message("Ctrl+Alt+Shift+T")
    assert controller.tray_watch.isActive() and controller.tray_watch.interval() == 30_000
    monkeypatch.setattr(tray_module.QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    controller.tray_watch.timeout.emit()
    assert not controller.tray_watch.isActive()
    qtbot.waitUntil(lambda: controller.no_tray_notice is None, timeout=2000)
    assert controller.tray.isVisible()
    controller.shutdown()
    controller.deleteLater()
    flush_deletes()


def test_the_no_tray_notice_buttons_reach_the_actions(qtbot, qapp, settings_store, monkeypatch):
    from PySide6.QtWidgets import QPushButton

    from timecrowd_tray.ui import tray as tray_module

    settings_store.set("hotkey.toggle", "Ctrl+Alt+Shift+K")
    controller = tray_module.TrayController(settings_store, announce_no_tray=True)
    monkeypatch.setattr(tray_module.QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    try:
        controller.show()
        notice = controller.no_tray_notice
        assert "Ctrl+Alt+Shift+K" in notice.findChild(QLabel, "noTrayText").text()
        buttons = {b.text(): b for b in notice.findChildren(QPushButton)}
        with qtbot.waitSignal(controller.sign_in_requested, timeout=1000):  # the palette needs a sign-in first
            buttons["Start a task…"].click()
        with qtbot.waitSignal(controller.quit_requested, timeout=1000):
            buttons["Quit"].click()
    finally:
        controller.shutdown()
        controller.deleteLater()
        flush_deletes()


def started_notices(app):
    return [n for n in app.tray.notifier.history if n.kind == "routine" and n.title == "Timer started"]


def test_a_start_that_was_not_recorded_is_not_announced(qtbot, app_under_test, monkeypatch):
    import sqlite3

    from timecrowd_tray.core.models import Task

    app = app_under_test
    app.settings.set("notifications", True)
    # refused: a task without a team
    app.tray.start_task(Task(id=999, title="Orphan"))
    run_deferred()
    assert app.tray.notifier.history[-1].kind == "error" and started_notices(app) == []
    # refused: the disk would not keep the intent
    task = app.service.recent_tasks[0]

    def refuse(*_args, **_kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(app.service._outbox, "add_many", refuse)
    app.tray.start_task(task)
    run_deferred()
    assert app.tray.notifier.history[-1].kind == "error" and started_notices(app) == []
    monkeypatch.undo()
    # recorded: announced once; the same task again (already running) is not announced again
    app.tray.start_task(task)
    run_deferred()
    assert [n.message for n in started_notices(app)] == [task.title]
    app.tray.start_task(task)
    run_deferred()
    assert len(started_notices(app)) == 1
    qtbot.waitUntil(lambda: app.running() is not None, timeout=5000)


def test_a_created_task_is_announced_only_when_recorded(qtbot, app_under_test):
    from timecrowd_tray.ui.palette import Destination

    app = app_under_test
    app.settings.set("notifications", True)
    team = app.service.state.user.teams[0]
    app.tray.create_task("   ", Destination(team))  # refused: no title
    run_deferred()
    assert started_notices(app) == []
    app.tray.create_task("  New one ", Destination(team))
    run_deferred()
    assert [n.message for n in started_notices(app)] == ["New one"]
    qtbot.waitUntil(lambda: app.running() is not None, timeout=5000)


def test_the_settings_dialog_shows_the_shortcuts_problems(qtbot, app_under_test):
    app = app_under_test
    app.tray.shortcut_problems = lambda: {"palette": "This combination is already used by another application."}
    dialog = app.tray.show_settings()
    try:
        assert dialog.hotkey_palette_problem.isVisible()
        assert "already used" in dialog.hotkey_palette_problem.text()
        assert not dialog.hotkey_toggle_problem.isVisible()
    finally:
        dialog.close()
        flush_deletes()


def test_a_stop_click_shows_the_new_icon_first_and_the_comment_dialog_after(qtbot, app_under_test):
    app = app_under_test
    click(app)
    qtbot.waitUntil(lambda: app.service.state.phase is Phase.RUNNING, timeout=5000)
    renders = app.tray.painter.renders
    with qtbot.waitSignal(app.tray.comment_dialog_shown, timeout=2000):
        click(app)
        # the click itself: the new look is set (painted only when the tray asks), nothing else yet
        assert app.tray.icon_spec.look is Look.IDLE and app.tray.comment_dialogs == []
        assert app.tray.painter.renders == renders
    assert len(app.tray.comment_dialogs) == 1
    qtbot.waitUntil(lambda: app.running() is None, timeout=5000)


def test_notifications_use_the_known_tray_availability(app_under_test, monkeypatch):
    """Asking Qt whether there is a tray is an X round trip: the controller's answer is used."""
    from timecrowd_tray.ui import tray as tray_module

    asked = []
    monkeypatch.setattr(tray_module.QSystemTrayIcon, "isSystemTrayAvailable",
                        staticmethod(lambda: asked.append(True) or True))
    app_under_test.tray.notifier.error("refused")
    app_under_test.tray.notifier.error("refused again")
    assert asked == [] and app_under_test.tray.notifier.history[-1].message == "refused again"


def test_the_cached_running_entry_shows_at_once_with_its_own_elapsed_time(qapp, settings_store, monkeypatch):
    """Start-up: the entry the server last said runs, shown before the service and the server are there."""
    from datetime import datetime

    from timecrowd_tray.core.models import Task, TimeEntry, User
    from timecrowd_tray.services.running_cache import RunningData, preview_state
    from timecrowd_tray.ui import tray as tray_module

    from .conftest import FIXED_NOW

    monkeypatch.setenv("TIMECROWD_TRAY_PANEL", "dark")
    base = "https://timecrowd.example"
    entry = TimeEntry(id=9, task=Task(id=3, title="設計レビュー", team_id=1, team_name="開発"),
                      started_at=datetime.fromtimestamp(FIXED_NOW - (83 * 60 + 20), UTC))
    state = preview_state(RunningData(f"{base}#28", base, User(id=28), entry))
    controller = tray_module.TrayController(settings_store, clock=lambda: FIXED_NOW, announce_no_tray=False)
    try:
        controller.show_state(state)
        controller.show()
        assert controller.icon_spec.look is Look.RUNNING and controller.icon_spec.minutes == 83
        assert "1:23:20" in controller.tray.toolTip() and "設計レビュー" in controller.tray.toolTip()
        assert not state.loaded  # not confirmed yet: the first poll confirms or corrects it
    finally:
        controller.shutdown()
        controller.deleteLater()
        flush_deletes()


# -- "A first day without traps": links that cannot open, demo mode ------------------------------


def test_a_page_that_cannot_open_is_said_in_the_app(qtbot, app_under_test):
    """QDesktopServices.openUrl returns False (no browser): a notification, not only a line on stderr."""
    app = app_under_test
    tried = []
    app.tray._open_url = lambda url: tried.append(url) or False
    click(app)
    qtbot.waitUntil(lambda: app.service.state.phase is Phase.RUNNING, timeout=5000)
    url = app.tray.browser_url()
    before = len(app.tray.notifier.history)
    app.tray.open_in_browser()
    assert tried == [url]
    [notice] = app.tray.notifier.history[before:]
    assert notice.kind == "error" and "Could not open" in notice.message and url in notice.message


def test_a_page_that_opens_is_not_announced(qtbot, app_under_test):
    app = app_under_test
    app.tray._open_url = lambda url: True
    before = len(app.tray.notifier.history)
    app.tray.open_in_browser()
    assert app.tray.notifier.history[before:] == []


def test_demo_mode_menu_says_it_is_the_demo_and_has_no_web_pages(qtbot, app_under_test):
    """The demo's entries link to the real timecrowd.net, which knows nothing of them."""
    app = app_under_test
    assert app.tray.demo_server is None
    app.tray.demo_server = "http://127.0.0.1:5123"
    click(app)
    qtbot.waitUntil(lambda: app.service.state.phase is Phase.RUNNING, timeout=5000)
    assert app.service.state.html_url  # the emulator's entry has one (on the real site)...
    assert app.tray.browser_url() is None  # ...which the demo does not open
    menu = open_menu(app)
    action = menu.action_named("openInBrowser")
    assert action is not None and not action.isEnabled()
    assert "demo" in action.toolTip().lower() and "web pages" in action.toolTip()
    assert menu.toolTipsVisible()
    demo_line = menu.action_named("demo")
    assert demo_line is not None and "http://127.0.0.1:5123" in demo_line.text()
    app.tray.open_in_browser()
    assert app.opened_urls == []
    close_menu(app)

    run_async(qtbot, app.service.sign_out())
    menu = open_menu(app)
    assert menu_names(menu) == ["header", "demo", "signIn", "settings", "quit"]
    assert "demo" in menu.action_named("signIn").text().lower()
    close_menu(app)


def test_the_idle_tooltip_names_the_task_a_click_starts_once_the_recent_tasks_arrive(app_under_test):
    """The recent tasks may come after the state (no state change then): the tooltip follows them."""
    from timecrowd_tray.services import events as ev

    app = app_under_test
    latest = app.tray.latest_task()
    assert latest is not None
    known: list = []
    app.tray.recent_tasks = lambda: list(known)  # what the service knows: nothing yet
    app.tray.view.render()
    assert "choose a task" in app.tray.tray.toolTip()
    known.append(latest)
    app.tray._on_event(ev.RecentTasksChanged())
    assert f"“{latest.title}”" in app.tray.tray.toolTip()

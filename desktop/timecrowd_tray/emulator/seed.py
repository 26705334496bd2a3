"""Demo data: a small Japanese company account with a few weeks of history.

Deterministic for a given clock reading: every random choice comes from a
fixed-seed generator and all times are placed relative to "now".

It builds the account through the few calls of :class:`SeedTarget` and imports
nothing of the store (``EmulatorState.seeded()`` calls :func:`populate`).
"""

from __future__ import annotations

import base64
import random
import struct
import zlib
from datetime import datetime, timedelta
from typing import Any, Protocol

from .timefmt import JST

Record = dict[str, Any]  # the store's record: a plain dict (shapes on ``EmulatorState``)


class SeedTarget(Protocol):
    """What the seed needs of a store (``EmulatorState`` is one)."""

    me_id: int

    def now(self) -> int: ...

    def set_next_id(self, kind: str, value: int) -> None: ...

    def add_team(self, team_id: int, name: str, *, tasks_readonly: bool = ...,
                 avatar_url: str | None = ...) -> Record: ...

    def add_user(self, user_id: int, nickname: str, email: str, team_ids: list[int], locale: str = ...,
                 *, avatar_url: str | None = ...) -> Record: ...

    def add_category(self, team_id: int, title: str, *, color: int = ..., deleted: bool = ...) -> Record:
        """The stored record (not a copy)."""
        ...

    def add_task(self, team_id: int, category_id: int, title: str, *, url: str = ...,
                 deleted: bool = ...) -> Record:
        """The stored record (not a copy)."""
        ...

    def add_entry(self, user_id: int, task_id: int, started_at: int, stopped_at: int | None,
                  comment: str | None = ...) -> Record: ...

    def add_token(self, token: str, user_id: int) -> None: ...

    def add_oauth_client(self, client_id: str, secret: str, name: str) -> None: ...

DEMO_TOKEN = "demo-token-0123456789abcdef"
TEAMMATE_TOKEN = "teammate-token-fedcba9876543210"
OUTSIDER_TOKEN = "outsider-token-00112233445566"
DEMO_CLIENT_ID = "demo-client-id"
DEMO_CLIENT_SECRET = "demo-client-secret"

ME_ID = 28
TEAMMATE_ID = 31
GUILD_MEMBER_ID = 35
OUTSIDER_ID = 40

DEMO_TEAM_ID = 14  # 株式会社デモ
GUILD_TEAM_ID = 15  # Open Source Guild
READONLY_TEAM_ID = 16  # tasks_readonly: starting is fine, creating is refused
OUTSIDE_TEAM_ID = 99  # not one of the demo user's teams

_SEED = 20251021


def solid_png_data_url(rgb: tuple[int, int, int], size: int = 32) -> str:
    """A one-colour PNG as a data: URL, so demo avatars need no network."""
    row = b"\x00" + bytes(rgb) * size
    raw = zlib.compress(row * size, 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", raw)
        + chunk(b"IEND", b"")
    )
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


# (team_id, category title, color, deleted, [(title, url)])
_CATALOGUE: list[tuple[int, str, int, bool, list[tuple[str, str]]]] = [
    (DEMO_TEAM_ID, "開発", 1, False, [
        ("ログイン画面の改修", ""),
        ("Code review", ""),
        ("Bug triage #214", "https://github.com/example-org/demo-app/issues/214"),
        ("APIクライアントのリファクタリング", ""),
        ("Release 2.4 準備", ""),
        ("単体テストの追加", ""),
        ("Deploy to staging", ""),
    ]),
    (DEMO_TEAM_ID, "会議", 3, False, [
        ("週次定例ミーティング", ""),
        ("1on1", ""),
        ("朝会", ""),
        ("Sprint planning", ""),
        ("顧客打ち合わせ (ACME)", ""),
    ]),
    (DEMO_TEAM_ID, "管理業務", 5, False, [
        ("請求書の作成", ""),
        ("勤怠の締め処理", ""),
        ("メール対応", ""),
        ("採用面接", ""),
        ("資料作成", ""),
    ]),
    (DEMO_TEAM_ID, "旧プロジェクト", 7, True, [("旧サイトの保守", "")]),
    (GUILD_TEAM_ID, "Maintenance", 2, False, [
        ("Bug triage #301", "https://github.com/example-org/guild-lib/issues/301"),
        ("Dependency updates", ""),
        ("CI flakiness investigation", ""),
        ("Documentation: getting started", ""),
        ("Release notes v0.9", ""),
    ]),
    (GUILD_TEAM_ID, "Community", 4, False, [
        ("Answer forum questions", ""),
        ("Review pull requests", ""),
        ("Community call", ""),
        ("ブログ記事の執筆", ""),
    ]),
    (READONLY_TEAM_ID, "経費精算", 6, False, [("交通費精算", ""), ("月次レポート確認", "")]),
    (OUTSIDE_TEAM_ID, "Secret project", 1, False, [("Stealth work", "")]),
]

DELETED_TASK_TITLE = "廃止されたタスク"

_COMMENTS = [
    "レビュー指摘対応",
    "議事録を共有済み 📝",
    "Waiting for CI",
    "顧客からの返信待ち",
    "Fixed a flaky test",
    "午後に続きを実施",
]


def populate(state: SeedTarget) -> None:
    rng = random.Random(_SEED)
    now = state.now()
    state.set_next_id("category", 101)
    state.set_next_id("task", 201)
    state.set_next_id("comment", 1)

    for team_id, name, readonly, rgb in [
        (DEMO_TEAM_ID, "株式会社デモ", False, (46, 125, 50)),
        (GUILD_TEAM_ID, "Open Source Guild", False, (21, 101, 192)),
        (READONLY_TEAM_ID, "経理部 (閲覧のみ)", True, (245, 124, 0)),
        (OUTSIDE_TEAM_ID, "Other Company", False, (97, 97, 97)),
    ]:
        state.add_team(team_id, name, tasks_readonly=readonly, avatar_url=solid_png_data_url(rgb))

    for user_id, nickname, email, teams, locale, rgb in [
        (ME_ID, "山田 花子 (demo)", "hanako.yamada@example.com",
         [DEMO_TEAM_ID, GUILD_TEAM_ID, READONLY_TEAM_ID], "ja", (194, 24, 91)),
        (TEAMMATE_ID, "佐藤 健太", "kenta.sato@example.com", [DEMO_TEAM_ID, GUILD_TEAM_ID], "ja", (0, 137, 123)),
        (GUILD_MEMBER_ID, "Alex Kim", "alex.kim@example.org", [GUILD_TEAM_ID], "en", (94, 53, 177)),
        (OUTSIDER_ID, "外部 太郎", "taro@other.example", [OUTSIDE_TEAM_ID], "ja", (120, 144, 156)),
    ]:
        state.add_user(user_id, nickname, email, teams, locale=locale, avatar_url=solid_png_data_url(rgb))
    state.me_id = ME_ID

    tasks_by_team: dict[int, list[int]] = {}
    all_tasks: list[Record] = []  # in creation order
    category_named: dict[str, int] = {}  # title -> id of the first category of that title
    for team_id, title, color, deleted, tasks in _CATALOGUE:
        category = state.add_category(team_id, title, color=color, deleted=deleted)
        category_named.setdefault(title, category["id"])
        for task_title, url in tasks:
            task = state.add_task(team_id, category["id"], task_title, url=url)
            all_tasks.append(task)
            if not deleted:
                tasks_by_team.setdefault(team_id, []).append(task["id"])
    all_tasks.append(state.add_task(DEMO_TEAM_ID, category_named["開発"], DELETED_TASK_TITLE, deleted=True))
    # Tasks look as if they were created long ago, not at seed time.
    for task in all_tasks:
        task["created_at"] = task["updated_at"] = now - 200 * 86400 + task["id"] * 3600

    state.set_next_id("entry", 1001)
    demo_tasks = tasks_by_team[DEMO_TEAM_ID] * 3 + tasks_by_team[GUILD_TEAM_ID] * 2 + tasks_by_team[READONLY_TEAM_ID]
    history: list[tuple[int, int, int, int, str | None]] = []
    history += _workdays(rng, now, ME_ID, demo_tasks, days=21, per_day=(4, 7), comment_rate=0.2)
    mate_tasks = tasks_by_team[DEMO_TEAM_ID] + tasks_by_team[GUILD_TEAM_ID]
    history += _workdays(rng, now, TEAMMATE_ID, mate_tasks, days=7, per_day=(2, 4), comment_rate=0.1)
    history += _workdays(rng, now, GUILD_MEMBER_ID, tasks_by_team[GUILD_TEAM_ID], days=5, per_day=(1, 3),
                         comment_rate=0.0)
    # Ids grow with time, like a real database filled day after day.
    for user_id, task_id, started, stopped, comment in sorted(history, key=lambda h: (h[2], h[0])):
        state.add_entry(user_id, task_id, started, stopped, comment)

    # Colleagues at work right now; the demo user is idle.
    code_review = _task_id(all_tasks, "Code review")
    state.add_entry(TEAMMATE_ID, code_review, now - 37 * 60, None, "PR #482 を確認中")
    state.add_entry(GUILD_MEMBER_ID, _task_id(all_tasks, "Dependency updates"), now - 12 * 60, None)
    state.add_entry(OUTSIDER_ID, _task_id(all_tasks, "Stealth work"), now - 50 * 60, None)

    state.add_token(DEMO_TOKEN, ME_ID)
    state.add_token(TEAMMATE_TOKEN, TEAMMATE_ID)
    state.add_token(OUTSIDER_TOKEN, OUTSIDER_ID)
    state.add_oauth_client(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, "TimeCrowd Tray (demo)")


def _task_id(tasks: list[Record], title: str) -> int:
    return next(t["id"] for t in tasks if t["title"] == title and t["deleted_at"] is None)


def _workdays(
    rng: random.Random,
    now: int,
    user_id: int,
    task_ids: list[int],
    *,
    days: int,
    per_day: tuple[int, int],
    comment_rate: float,
) -> list[tuple[int, int, int, int, str | None]]:
    """Stopped entries on the weekdays of the last ``days`` days (today included,
    only what already ended), 15 min to 2 h each, from about 09:30 JST."""
    today = datetime.fromtimestamp(now, JST).replace(hour=0, minute=0, second=0, microsecond=0)
    out = []
    for back in range(days, -1, -1):
        day = today - timedelta(days=back)
        if day.weekday() >= 5:
            continue
        cursor = int((day + timedelta(hours=9, minutes=30)).timestamp()) + rng.randrange(0, 31) * 60
        for _ in range(rng.randint(*per_day)):
            length = rng.randrange(15, 121, 5) * 60
            start, stop = cursor, cursor + length
            cursor = stop + rng.randrange(0, 21, 5) * 60
            if stop > now - 300:
                break
            comment = rng.choice(_COMMENTS) if rng.random() < comment_rate else None
            out.append((user_id, rng.choice(task_ids), start, stop, comment))
    return out

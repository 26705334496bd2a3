"""BusConnection on a private bus: listeners that stop, a call's own bound, prebuilt messages, send."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from jeepney import DBusAddress, MatchRule, message_bus, new_method_call, new_signal

from timecrowd_tray.platform.dbus_connection import (
    BUS,
    BUS_PATH,
    CALL_TIMEOUT,
    BusConnection,
    BusUnavailable,
    CallTimeout,
    MethodError,
)

from support.sni_host import PrivateSessionBus
from support.tools import require

WAIT = 5.0  # every wait below ends at its condition; this only bounds a broken one
TEST_INTERFACE = "org.example.ConnectionTest"
PING = MatchRule(type="signal", interface=TEST_INTERFACE, member="Ping")


@pytest.fixture
def bus() -> Iterator[PrivateSessionBus]:
    require("dbus-daemon", why="the D-Bus connection tests need a private bus")
    with PrivateSessionBus() as private:
        yield private


async def opened(bus: PrivateSessionBus) -> BusConnection:
    conn = BusConnection(bus.address)
    await conn.open()
    return conn


def ping(text: str) -> Any:
    return new_signal(DBusAddress("/test", interface=TEST_INTERFACE), "Ping", "s", (text,))


async def rule_is_off_the_bus(conn: BusConnection, rule: MatchRule) -> bool:
    """Whether the bus holds no (more) instance of ``rule`` for ``conn``: removing it is then refused."""
    try:
        await conn.call(BUS, BUS_PATH, BUS, "RemoveMatch", "s", (rule.serialise(),))
    except MethodError as exc:
        return exc.name == "org.freedesktop.DBus.Error.MatchRuleNotFound"
    return False


def test_a_stopped_listener_hears_nothing_more_and_leaves_the_others_of_its_rule(bus):
    async def main() -> None:
        conn, sender = await opened(bus), await opened(bus)
        heard_a: asyncio.Queue[str] = asyncio.Queue()
        heard_b: asyncio.Queue[str] = asyncio.Queue()
        try:
            a = await conn.listen(PING, lambda m: heard_a.put_nowait(m.body[0]))
            b = await conn.listen(PING, lambda m: heard_b.put_nowait(m.body[0]))  # the same rule, added twice
            await sender.send(ping("one"))
            assert await asyncio.wait_for(heard_a.get(), WAIT) == "one"
            assert await asyncio.wait_for(heard_b.get(), WAIT) == "one"

            await a.stop()
            await a.stop()  # a second stop removes nothing (it would take b's instance of the rule)
            await sender.send(ping("two"))
            assert await asyncio.wait_for(heard_b.get(), WAIT) == "two"  # the bus still routes it to b
            assert heard_a.empty()

            await b.stop()
            assert await rule_is_off_the_bus(conn, PING)  # both instances removed, one by each stop
        finally:
            await sender.close()
            await conn.close()

    asyncio.run(main())


def test_a_listener_and_a_name_watch_as_context_managers(bus):
    async def main() -> None:
        conn, other = await opened(bus), await opened(bus)
        owners: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
        try:
            async with await conn.listen(PING, lambda m: None), \
                    await conn.watch_name("org.example.Watched", lambda old, new: owners.put_nowait((old, new))):
                assert await other.request_name("org.example.Watched")
                assert await asyncio.wait_for(owners.get(), WAIT) == ("", other.unique_name)
            assert await rule_is_off_the_bus(conn, PING)
            watched = MatchRule(type="signal", sender=BUS, interface=BUS, member="NameOwnerChanged", path=BUS_PATH)
            watched.add_arg_condition(0, "org.example.Watched")
            assert await rule_is_off_the_bus(conn, watched)
        finally:
            await other.close()
            await conn.close()

    asyncio.run(main())


def test_a_call_takes_the_bound_it_is_given(bus):
    async def main() -> None:
        conn, mute = await opened(bus), await opened(bus)
        try:
            assert await mute.request_name("org.example.Mute")  # owns the name, answers no call
            loop = asyncio.get_running_loop()
            started = loop.time()
            with pytest.raises(CallTimeout) as unanswered:
                await conn.call("org.example.Mute", "/", TEST_INTERFACE, "Hang", timeout=0.3)
            assert loop.time() - started < CALL_TIMEOUT  # its own bound, not the default one
            assert isinstance(unanswered.value, BusUnavailable)  # what callers that know no timeouts catch
            assert "org.example.Mute did not answer Hang" in str(unanswered.value)
        finally:
            await mute.close()
            await conn.close()

    asyncio.run(main())


def test_a_prebuilt_message_is_sent_and_its_reply_or_error_returned(bus):
    async def main() -> None:
        conn = await opened(bus)
        try:
            (bus_id,) = await conn.send_and_reply(new_method_call(DBusAddress(BUS_PATH, BUS, BUS), "GetId"))
            assert len(bus_id) == 32
            with pytest.raises(MethodError) as refused:
                await conn.send_and_reply(message_bus.GetNameOwner("org.example.Nobody"), timeout=WAIT)
            assert refused.value.name == "org.freedesktop.DBus.Error.NameHasNoOwner"
        finally:
            await conn.close()
        with pytest.raises(BusUnavailable):
            await conn.send_and_reply(message_bus.GetId())
        with pytest.raises(BusUnavailable):
            await conn.send(ping("after close"))

    asyncio.run(main())


def test_a_listener_outlived_by_its_connection_stops_quietly(bus):
    async def main() -> None:
        conn = await opened(bus)
        listener = await conn.listen(PING, lambda m: None)
        await conn.close()
        await listener.stop()  # nothing to remove: the rules went with the connection

    asyncio.run(main())


def test_a_listener_stopped_before_its_task_ran_leaves_no_filter(bus):
    """Stopped in the same turn of the loop as it was made: its filter (jeepney's, looked at directly:
    nothing else shows it) goes too, not only the task that would have read it."""
    async def main() -> None:
        conn = await opened(bus)
        try:
            filters = conn._router._filters.filters
            before = len(filters)
            listener = await conn.listen(PING, lambda m: None)
            assert len(filters) == before + 1
            await listener.stop()
            assert len(filters) == before
        finally:
            await conn.close()

    asyncio.run(main())

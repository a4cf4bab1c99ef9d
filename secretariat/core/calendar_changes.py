"""Listeners told when a duty station's work calendar changes (hours, work days, holidays).

Apps that keep clocks on these calendars (the service desk's SLAs) register here, so the core
never imports them.
"""

from collections.abc import Callable

_listeners: list[Callable] = []


def register_calendar_listener(listener: Callable) -> None:
    """``listener(actor=..., duty_station=...)`` runs inside the transaction of the change."""
    if listener not in _listeners:
        _listeners.append(listener)


def notify_calendar_changed(*, actor, duty_station) -> None:
    for listener in _listeners:
        listener(actor=actor, duty_station=duty_station)

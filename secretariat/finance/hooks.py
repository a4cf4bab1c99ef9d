"""Posting listeners: how apps above the ledger react to postings without finance importing them.

Finance sits below budget (and every app that commits funds), so it cannot call them. An app
that must follow the ledger registers a listener in its ``AppConfig.ready()``; every posting
service calls the listeners inside its own transaction, after the entries and period balances
are written and before the posting's audit event (ADR 0053). A listener that raises a
``DomainError`` refuses the posting: nothing is written, in finance or in the listener's app.

Listeners receive keyword arguments ``entries`` (the journal entries just posted, reversals
included, each with ``reverses_id`` set) and ``actor``. They must be idempotent on the entry.
"""

from collections.abc import Callable

PostingListener = Callable[..., None]

_posting_listeners: list[PostingListener] = []


def register_posting_listener(listener: PostingListener) -> None:
    """Call ``listener(entries=[...], actor=...)`` inside every posting transaction (once per listener)."""
    if listener not in _posting_listeners:
        _posting_listeners.append(listener)


def unregister_posting_listener(listener: PostingListener) -> None:
    if listener in _posting_listeners:
        _posting_listeners.remove(listener)


def notify_posted(*, entries, actor) -> None:
    """Tell the registered listeners, in registration order, that ``entries`` were posted."""
    entries = list(entries)
    if not entries:
        return
    for listener in list(_posting_listeners):
        listener(entries=entries, actor=actor)

"""Every demo user, in English and in Arabic, follows every link on every page they reach from the
home page: none may answer with an error (403, 404, 405, 500). Menus and home cards list only
what the user may open, and every page links only to what exists.

The demo organisation is built with the demo loaders (small counts), as ``make demo`` builds it.
Each route is visited at most a few times per user (its list page and a couple of records), so
the crawl covers every kind of page without walking thousands of records.
"""

from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import Resolver404, resolve

VISITS_PER_ROUTE = {"en": 2, "ar": 1}
# Not pages of the application: the admin and the API (their own tests), static files, the
# language switch (a form), and the public search, which is tested without a user.
SKIPPED_PREFIXES = ("/static/", "/admin/", "/api/", "/i18n/", "/jsi18n/", "/healthz", "/readyz")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_on(path: str, html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url = urlsplit(urljoin(path, href))
        if url.scheme not in ("", "http") or (url.netloc and url.netloc != "testserver"):
            continue
        if url.path.startswith(SKIPPED_PREFIXES):
            continue
        found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


def route_of(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).route
    except Resolver404:
        return None


def crawl(user, language: str) -> tuple[list[str], set[str]]:
    """Walk from the home page as ``user``: the problems found, as "status path (from page)", and
    the URL names of the pages visited."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    client.cookies["django_language"] = language
    problems, seen, visits, pages = [], set(), Counter(), set()
    queue = deque([("/", "")])
    while queue:
        path, referrer = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        route = route_of(path)
        if route is None:
            problems.append(f"404 {path} (linked from {referrer})")
            continue
        if visits[route] >= VISITS_PER_ROUTE[language]:
            continue
        visits[route] += 1
        pages.add(resolve(urlsplit(path).path).view_name)
        response = client.get(path)
        if response.status_code in (301, 302):
            queue.append((response["Location"], path))
            continue
        if response.status_code >= 400:
            problems.append(f"{response.status_code} {path} (linked from {referrer})")
            continue
        if response.get("Content-Type", "").startswith("text/html"):
            body = response.content.decode()
            assert f'lang="{language}"' in body, path
            queue.extend((link, path) for link in links_on(path, body))
    return problems, pages


@pytest.fixture
def demo_organisation(db):
    from secretariat.budget.demo import load_budget_demo
    from secretariat.content.demo import load_content_demo
    from secretariat.core.demo import load_demo
    from secretariat.finance.demo import load_finance_demo
    from secretariat.servicedesk.demo import load_servicedesk_demo

    load_demo(staff_count=40)
    load_finance_demo(entries_per_month=1, member_states=5)
    load_budget_demo()
    load_servicedesk_demo(tickets=30)
    load_content_demo()


def test_every_demo_user_reaches_no_error_page_in_english_and_arabic(demo_organisation):
    users = list(get_user_model().objects.filter(is_active=True).order_by("username"))
    assert {"admin", "auditor", "staff", "certifier", "approver"} <= {user.username for user in users}
    problems, reached = [], {}
    for user in users:
        for language in ("en", "ar"):
            found, reached[user.username, language] = crawl(user, language)
            problems += [f"{user.username} [{language}] {problem}" for problem in found]
    assert problems == []
    # The walk is real: the superuser reaches every module, someone with no role only the open pages.
    namespaces = {name.split(":")[0] for name in reached["admin", "en"] if ":" in name}
    assert {"web", "finance", "budget", "servicedesk", "content", "continuity"} <= namespaces
    assert "web:audit_trail" in reached["auditor", "ar"] and "finance:trial_balance" in reached["auditor", "ar"]
    assert "web:audit_trail" not in reached["staff", "en"]

"""Oversize requests are refused from their declared length, before the body is read."""

import io
import tracemalloc

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client, RequestFactory

from secretariat.core.tests.factories import UserFactory

MB = 1024 * 1024


class ZeroStream(io.RawIOBase):
    """A request body of ``size`` zero bytes, produced as it is read, counting what was read."""

    def __init__(self, size: int):
        self.remaining, self.read_bytes = size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = min(len(buffer), self.remaining)
        buffer[:count] = bytes(count)
        self.remaining -= count
        self.read_bytes += count
        return count


@pytest.fixture
def signed_in_cookies(db, client: Client):
    """A session and a CSRF cookie whose token travels in the form body, as a browser's would."""
    user = UserFactory(username="uploader")
    user.is_superuser = user.is_staff = True
    user.save()
    client.force_login(user)
    client.get("/login/")
    return {name: morsel.value for name, morsel in client.cookies.items()}


def post_through_wsgi(path: str, body: ZeroStream, length: int, cookies: dict) -> tuple[str, int]:
    """POST a streamed multipart body to the whole WSGI stack; return the status and peak memory."""
    environ = RequestFactory()._base_environ(
        REQUEST_METHOD="POST", PATH_INFO=path, CONTENT_TYPE="multipart/form-data; boundary=BOUNDARY",
        CONTENT_LENGTH=str(length), HTTP_COOKIE="; ".join(f"{k}={v}" for k, v in cookies.items()),
        **{"wsgi.input": body})
    statuses = []
    tracemalloc.start()
    try:
        response = WSGIHandler()(environ, lambda status, headers, exc_info=None: statuses.append(status))
        b"".join(response)
        response.close()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return statuses[0], peak


def test_an_oversize_upload_is_refused_unread_and_memory_stays_flat(settings, signed_in_cookies):
    settings.SECRETARIAT_MAX_REQUEST_MB = 5
    body = ZeroStream(40 * MB)
    # when: a signed-in user uploads 40 MB to a page that reads its form
    status, peak = post_through_wsgi("/content/", body, 40 * MB, signed_in_cookies)
    # then
    assert status.startswith("413")
    assert body.read_bytes == 0
    assert peak < 4 * MB


def test_the_refusal_is_a_problem_on_the_api(client, settings):
    settings.SECRETARIAT_MAX_REQUEST_MB = 5
    response = client.post("/api/v1/content/documents/", b"--BOUNDARY--",
                           content_type="multipart/form-data; boundary=BOUNDARY", CONTENT_LENGTH=str(6 * MB))
    assert response.status_code == 413 and response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "urn:secretariat:problem:request_too_large", "status": 413,
        "title": "The request is larger than 5.0\xa0MB, the most this server accepts for it.",
        "detail": "The request is larger than 5.0\xa0MB, the most this server accepts for it.",
    }


def test_a_json_body_has_the_smaller_limit(client):
    response = client.post("/api/v1/people/", b"{}", content_type="application/json",
                           CONTENT_LENGTH=str(3 * MB))
    assert response.status_code == 413
    assert response.json()["detail"] == "The request is larger than 2.5\xa0MB, the most this server accepts for it."


def test_a_page_refuses_with_a_page(client, settings):
    settings.SECRETARIAT_MAX_REQUEST_MB = 5
    response = client.post("/content/", b"--BOUNDARY--", content_type="multipart/form-data; boundary=BOUNDARY",
                           CONTENT_LENGTH=str(6 * MB))
    assert response.status_code == 413
    assert "The request is larger than 5.0\xa0MB, the most this server accepts for it." in response.content.decode()


def test_a_chunked_body_is_refused(client):
    response = client.post("/api/v1/people/", b"{}", content_type="application/json",
                           HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 411
    assert response.json()["detail"] == ("Send the request body with a Content-Length header; chunked bodies are "
                                         "not accepted.")


def test_a_request_within_the_limits_goes_through(client):
    response = client.post("/api/v1/people/", b"{}", content_type="application/json")
    assert response.status_code in (401, 403)

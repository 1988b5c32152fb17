"""A fresh production worker's first click, in a process of its own (``test_first_click.py``):
it imports ``config.wsgi`` as a gunicorn worker does at start (warm-up included), then sends
one "Valider" of a parent's cart straight to the WSGI application and prints, as one line of
JSON, the answer's status and the modules that request imported.

Run as ``python -m tests.core.fresh_worker <session key>`` with the test's environment.
"""

from __future__ import annotations

import io
import json
import sys

from config.wsgi import application

VALIDATE_URL = "/reservations/panier/valider/"
TOKEN = "FirstClickCsrfToken0123456789abc"  # 32 characters: a CSRF secret as the cookie holds


def first_click(session_key: str) -> dict[str, object]:
    body = f"csrfmiddlewaretoken={TOKEN}".encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": VALIDATE_URL,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": f"sessionid={session_key}; csrftoken={TOKEN}",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    statuses: list[str] = []

    def start_response(status: str, headers: list, exc_info: object = None) -> None:
        statuses.append(status)

    before = set(sys.modules)
    answer = application(environ, start_response)
    try:
        b"".join(answer)
    finally:
        answer.close()
    return {"status": statuses[0], "new_modules": sorted(set(sys.modules) - before)}


if __name__ == "__main__":
    print(json.dumps(first_click(sys.argv[1])), flush=True)

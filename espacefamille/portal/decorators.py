from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def household_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A signed-in login with a household file in the current town; a login without any file
    is sent to "Adhésion aux collectivités"."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(request, "household", None) is None:
            return redirect("portal:join")
        return view(request, *args, **kwargs)

    return wrapper

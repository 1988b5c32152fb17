from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, cast

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .acting import PortalRequest

P = ParamSpec("P")


def household_required(
    view: Callable[Concatenate[PortalRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """A signed-in login with a household file in the current town; a login without any file
    is sent to "Adhésion aux collectivités". The view receives a ``PortalRequest``."""

    @wraps(view)
    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(request, "household", None) is None:
            return redirect("portal:join")
        return view(cast(PortalRequest, request), *args, **kwargs)

    return wrapper

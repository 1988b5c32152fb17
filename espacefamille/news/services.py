"""Writes to news posts: each function changes one post and writes the town's action log in
the same transaction, so the log never tells of a change that did not happen."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from espacefamille.audit.records import action_record, diff, snapshot
from espacefamille.catalog.models import Service
from espacefamille.core.models import Municipality
from espacefamille.core.uploads import upload_check

from .models import NewsDocument, NewsPost

POST_FIELDS = ["title", "date", "text", "publish_from", "publish_until", "services"]


def _attach(post: NewsPost, uploads: Iterable[UploadedFile]) -> list[str]:
    names = []
    for upload in uploads:
        content_type = upload_check(upload)
        document = NewsDocument(
            municipality_id=post.municipality_id,
            post=post,
            filename=(upload.name or "document")[:200],
            content_type=content_type,
            size=upload.size or 0,
        )
        document.file.save(upload.name or "document", upload, save=False)
        document.save()
        names.append(document.filename)
    return names


def _set_image(post: NewsPost, image: UploadedFile) -> None:
    content_type = upload_check(image)
    if content_type not in {"image/jpeg", "image/png"}:
        raise ValidationError({"image": _("L'image doit être un fichier JPEG ou PNG.")})
    post.image_type = content_type
    post.image.save(image.name or "image", image, save=False)


@transaction.atomic
def news_post_save(
    *,
    municipality: Municipality,
    post: NewsPost | None,
    data: dict[str, Any],
    services: Iterable[Service],
    documents: Iterable[UploadedFile] = (),
    removed_document_ids: Iterable[int] = (),
    image: UploadedFile | None = None,
    actor: Any,
) -> NewsPost:
    """Create or edit a post, its audience and its documents (scheduling is its dates)."""
    creating = post is None
    post = post or NewsPost(municipality=municipality, created_by=actor)
    before = {} if creating else snapshot(post, POST_FIELDS)
    for name in ("title", "date", "text", "publish_from", "publish_until"):
        if name in data:
            setattr(post, name, data[name])
    if image is not None:
        _set_image(post, image)
    post.full_clean(exclude=["municipality", "created_by", "image", "services"])
    post.save()
    post.services.set(
        [service for service in services if service.municipality_id == post.municipality_id]
    )
    removed = list(NewsDocument.objects.filter(post=post, pk__in=list(removed_document_ids)))
    for document in removed:
        document.file.delete(save=False)
        document.delete()
    added = _attach(post, documents)
    changes: dict[str, Any] = diff(before, snapshot(post, POST_FIELDS))
    if added:
        changes["documents ajoutés"] = [None, added]
    if removed:
        changes["documents retirés"] = [[d.filename for d in removed], None]
    action_record(
        municipality_id=post.municipality_id,
        actor=actor,
        action="news_post.create" if creating else "news_post.update",
        obj=post,
        changes=changes,
    )
    return post


@transaction.atomic
def news_post_withdraw(*, post: NewsPost, withdrawn: bool, actor: Any) -> NewsPost:
    """Withdraw a post (families no longer see it) or put it back; a repeat changes nothing."""
    if post.is_withdrawn == withdrawn:
        return post
    post.is_withdrawn = withdrawn
    post.save(update_fields=["is_withdrawn"])
    action_record(
        municipality_id=post.municipality_id,
        actor=actor,
        action="news_post.withdraw" if withdrawn else "news_post.restore",
        obj=post,
        changes={"is_withdrawn": [not withdrawn, withdrawn]},
    )
    return post

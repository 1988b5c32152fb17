"""Writes to news posts: each function changes one post and writes the town's action log in
the same transaction, so the log never tells of a change that did not happen."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from espacefamille.audit.records import Actor, action_record, diff, snapshot
from espacefamille.catalog.models import Service
from espacefamille.core.models import Municipality
from espacefamille.core.uploads import private_storage, upload_check
from espacefamille.news.errors import NewsError, NewsReason

from .models import NewsDocument, NewsPost

POST_FIELDS = ["title", "date", "text", "publish_from", "publish_until", "services"]


def _checked(uploads: Iterable[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    """Every file with its recognised type, all checked before any is written to disk (a
    refused second file must not leave the first one behind)."""
    return [(upload, upload_check(upload)) for upload in uploads]


def _image_type(image: UploadedFile) -> str:
    content_type = upload_check(image)
    if content_type not in {"image/jpeg", "image/png"}:
        raise NewsError(
            NewsReason.IMAGE_TYPE, _("L'image doit être un fichier JPEG ou PNG."), field="image"
        )
    return content_type


def _delete_file_after_commit(name: str) -> None:
    """A removed document's file goes once the removal is committed: a rollback keeps both."""
    if name:
        transaction.on_commit(lambda: private_storage.delete(name))


def _attach(post: NewsPost, checked: list[tuple[UploadedFile, str]]) -> list[str]:
    names = []
    for upload, content_type in checked:
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
    actor: Actor,
) -> NewsPost:
    """Create or edit a post, its audience and its documents (scheduling is its dates)."""
    creating = post is None
    post = post or NewsPost(municipality=municipality, created_by=actor)
    before = {} if creating else snapshot(post, POST_FIELDS)
    for name in ("title", "date", "text", "publish_from", "publish_until"):
        if name in data:
            setattr(post, name, data[name])
    image_type = _image_type(image) if image is not None else ""
    checked = _checked(documents)
    post.full_clean(exclude=["municipality", "created_by", "image", "services"])
    if image is not None:
        post.image_type = image_type
        post.image.save(image.name or "image", image, save=False)
    post.save()
    post.services.set(
        [service for service in services if service.municipality_id == post.municipality_id],
        through_defaults={"municipality_id": post.municipality_id},
    )
    removed = list(NewsDocument.objects.filter(post=post, pk__in=list(removed_document_ids)))
    for document in removed:
        _delete_file_after_commit(document.file.name or "")
        document.delete()
    added = _attach(post, checked)
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
def news_post_withdraw(*, post: NewsPost, withdrawn: bool, actor: Actor) -> NewsPost:
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

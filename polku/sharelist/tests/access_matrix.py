"""Who may use the share-list pages and API (merged into ``tests/test_access_matrix.py``)."""

import base64

from django.core.files.uploadedfile import SimpleUploadedFile

from polku.accounts.roles import Capability
from polku.sharelist.tests.factories import ShareListRowFactory, csv_bytes, line, pending_import
from tests.matrix import Page, World

JOB = ("job_id",)

PAGES = {
    "sharelist:review": Page(Capability.REVIEW_SHARE_LIST),
    "sharelist:review_assign": Page(
        Capability.REVIEW_SHARE_LIST,
        method="post",
        data=lambda world: {"client": [world.client.pk], "contact_owner": world.worker.pk},
    ),
    "sharelist:import": Page(Capability.IMPORT_SHARE_LIST),
    "sharelist:import_detail": Page(Capability.IMPORT_SHARE_LIST, kwargs=JOB),
    "sharelist:import_progress": Page(Capability.IMPORT_SHARE_LIST, kwargs=JOB),
    "sharelist:import_confirm": Page(Capability.IMPORT_SHARE_LIST, method="post", kwargs=JOB),
    "sharelist:import_report": Page(Capability.IMPORT_SHARE_LIST, kwargs=JOB),
    "sharelist:contact": Page(Capability.REVIEW_SHARE_LIST, client_specific=True),
    "sharelist:letter": Page(Capability.REVIEW_SHARE_LIST, client_specific=True),
    "sharelist:costs": Page(Capability.VIEW_COSTS),
    "sharelist:costs_people": Page(Capability.REVIEW_SHARE_LIST),
}

API_OPERATIONS = {
    ("get", "/api/v1/share-lists/"): Page(Capability.VIEW_COSTS),
    ("post", "/api/v1/share-lists/"): Page(
        Capability.IMPORT_SHARE_LIST,
        data=lambda world: {
            "filename": "lista.csv",
            "content_base64": base64.b64encode(csv_bytes([line()])).decode(),
        },
    ),
    ("post", "/api/v1/share-lists/upload"): Page(
        Capability.IMPORT_SHARE_LIST,
        data=lambda world: {"file": SimpleUploadedFile("lista.csv", csv_bytes([line()]))},
        multipart=True,
    ),
    ("get", "/api/v1/share-lists/persons"): Page(
        Capability.REVIEW_SHARE_LIST, query=lambda world: {"month": "2026-10-01"}
    ),
    ("post", "/api/v1/share-lists/contacts"): Page(
        Capability.REVIEW_SHARE_LIST,
        data=lambda world: {
            "client_id": world.client.pk,
            "method": "phone",
            "result": "reached",
            "made_on": "2026-11-20",
        },
        client_specific=True,
    ),
}


def objects(world: World) -> dict[str, int]:
    ShareListRowFactory.create(client=world.client)
    job = pending_import(world.organisation, world.worker, csv_bytes([line()]))
    return {"job_id": job.pk}

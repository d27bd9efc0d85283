from ninja import NinjaAPI

from polku.api import clients, consents, rules, worklist
from polku.api.auth import BearerToken
from polku.api.errors import install_error_handlers

api = NinjaAPI(
    title="Polku API",
    version="1",
    description="Polku REST API. Bearer tokens: `python manage.py api_token USERNAME`.",
    auth=BearerToken(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("/clients/", clients.router)
api.add_router("/consents/", consents.router)
api.add_router("/rules/", rules.router)
api.add_router("/worklist/", worklist.router)

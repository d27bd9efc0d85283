from ninja import NinjaAPI

from polku.api import (
    clients,
    consents,
    meetings,
    obligated_employment,
    pay_subsidies,
    plans,
    referrals,
    reports,
    rules,
    worklist,
)
from polku.api.auth import BearerToken
from polku.api.errors import install_error_handlers
from polku.api.throttling import PerUserRateThrottle
from polku.ktt import api as ktt_api
from polku.service_episodes import api as service_episodes_api
from polku.sharelist import api as sharelist_api

api = NinjaAPI(
    title="Polku API",
    version="1",
    description="Polku REST API. Bearer tokens: `python manage.py api_token USERNAME`.",
    auth=BearerToken(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    throttle=PerUserRateThrottle(),
)
install_error_handlers(api)
api.add_router("/clients/", clients.router)
api.add_router("/consents/", consents.router)
api.add_router("/plans/", plans.router)
api.add_router("/rules/", rules.router)
api.add_router("/worklist/", worklist.router)
api.add_router("/referrals/", referrals.router)
api.add_router("/meetings/", meetings.router)
api.add_router("/", service_episodes_api.router)
api.add_router("/", ktt_api.router)
api.add_router("/share-lists/", sharelist_api.router)
api.add_router("/reports/", reports.router)
api.add_router("/obligated-employment/", obligated_employment.router)
api.add_router("/pay-subsidies/", pay_subsidies.router)

from polku.accounts.roles import Capability
from tests.matrix import Page

PAGES = {
    "reports:worklist": Page(Capability.VIEW_WORKLIST),
    "reports:team_worklist": Page(Capability.VIEW_TEAM_WORKLIST),
}
API_OPERATIONS = {
    ("get", "/api/v1/worklist/"): Page(Capability.VIEW_WORKLIST),
}

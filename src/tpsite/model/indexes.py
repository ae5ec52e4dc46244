"""The two package indexes a publisher can be registered on.

PyPI and TestPyPI are separate warehouse deployments: separate accounts, projects,
publishers and OIDC audiences. Nothing registered on one exists on the other.
"""

from __future__ import annotations

from enum import StrEnum


class Index(StrEnum):
    PYPI = "pypi"
    TESTPYPI = "testpypi"

    @property
    def host(self) -> str:
        return "pypi.org" if self is Index.PYPI else "test.pypi.org"

    @property
    def audience(self) -> str:
        # The value `GET /_/oidc/audience` returns (setting `warehouse.oidc.audience`,
        # warehouse/oidc/views.py:95); documented as `pypi` / `testpypi` in
        # docs/user/trusted-publishers/using-a-publisher.md:124.
        return self.value

    @property
    def site_name(self) -> str:
        # `{{ sitename }}` in the form label; set per deployment (SITE_NAME env var).
        return "PyPI" if self is Index.PYPI else "TestPyPI"

    @property
    def upload_url(self) -> str:
        return f"https://{self.host}/legacy/"

    @property
    def pending_publishers_url(self) -> str:
        # Route `manage.account.publishing`: the "Add a new pending publisher" form.
        return f"https://{self.host}/manage/account/publishing/"

    def help_url(self, anchor: str) -> str:
        # `request.help_url(_anchor=...)`: route "help" = "/help/" on warehouse.domain
        # (warehouse/forklift/__init__.py:10, warehouse/routes.py:40).
        return f"https://{self.host}/help/#{anchor}"

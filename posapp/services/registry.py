"""Builds the services on a Core. Used by the composition root (ui/app.py), the CLI and tests."""

from __future__ import annotations

from dataclasses import dataclass

from posapp.paths import DataPaths
from posapp.services.auth import AuthService
from posapp.services.core import Core
from posapp.services.employees import EmployeeService
from posapp.services.settings import SettingsService
from posapp.services.status import StatusService
from posapp.services.uow import UnitOfWork


@dataclass(frozen=True)
class Services:
    core: Core
    uow: UnitOfWork
    auth: AuthService
    employees: EmployeeService
    settings: SettingsService
    status: StatusService

    @classmethod
    def build(cls, core: Core) -> Services:
        uow = UnitOfWork(core)
        return cls(core=core, uow=uow, auth=AuthService(uow=uow), employees=EmployeeService(uow=uow),
                   settings=SettingsService(uow=uow), status=StatusService(uow=uow))

    @classmethod
    def open(cls, paths: DataPaths) -> Services:
        core = Core.open(paths)
        services = cls.build(core)
        services.settings.ensure_store_rows()
        return services

    def close(self) -> None:
        self.core.close()

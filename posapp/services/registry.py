"""Builds the services on a Core. Used by the composition root (ui/app.py), the CLI and tests."""

from __future__ import annotations

from dataclasses import dataclass

from posapp.adapters.sms import SimulatedSmsGateway, SmsGateway
from posapp.db.search import SearchIndex
from posapp.paths import DataPaths
from posapp.services.accounts import AccountService
from posapp.services.auth import AuthService
from posapp.services.core import Core
from posapp.services.customers import CustomerService
from posapp.services.employees import EmployeeService
from posapp.services.interactions import InteractionService
from posapp.services.lookup import LookupService
from posapp.services.settings import SettingsService
from posapp.services.status import StatusService
from posapp.services.uow import UnitOfWork
from posapp.services.verification import VerificationService


@dataclass(frozen=True)
class Services:
    core: Core
    uow: UnitOfWork
    auth: AuthService
    employees: EmployeeService
    settings: SettingsService
    status: StatusService
    lookup: LookupService
    customers: CustomerService
    verification: VerificationService
    interactions: InteractionService
    accounts: AccountService
    sms: SmsGateway
    search_index: SearchIndex

    @classmethod
    def build(cls, core: Core, *, sms: SmsGateway | None = None) -> Services:
        """``sms``: the carrier's SMS gateway; none exists here, so the labelled simulator is the default."""
        uow = UnitOfWork(core)
        sms = sms if sms is not None else SimulatedSmsGateway()
        index = SearchIndex(core.paths.database)
        interactions = InteractionService(uow=uow)
        return cls(core=core, uow=uow, auth=AuthService(uow=uow), employees=EmployeeService(uow=uow),
                   settings=SettingsService(uow=uow), status=StatusService(uow=uow),
                   lookup=LookupService(uow=uow, index=index), customers=CustomerService(uow=uow),
                   verification=VerificationService(uow=uow, sms=sms), interactions=interactions,
                   accounts=AccountService(uow=uow, interactions=interactions), sms=sms, search_index=index)

    @classmethod
    def open(cls, paths: DataPaths, *, sms: SmsGateway | None = None) -> Services:
        core = Core.open(paths)
        services = cls.build(core, sms=sms)
        services.settings.ensure_store_rows()
        return services

    def close(self) -> None:
        self.search_index.close()
        self.core.close()

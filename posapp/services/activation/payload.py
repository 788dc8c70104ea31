"""What a queued provisioning request carries for one line (:class:`.requests.ProvisioningPayload`; no secrets)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from posapp.db.models import Account, Activation, ActivationLine
from posapp.domain.activation import ActivationKind, NumberSource, RequestAction
from posapp.services.activation.requests import PortDetails, ProvisioningPayload
from posapp.services.activation.views import features_of, port_of


def action_for(act: Activation, line: ActivationLine) -> RequestAction:
    if act.kind is ActivationKind.UPGRADE:
        return RequestAction.UPGRADE
    if act.kind is ActivationKind.SIM_CHANGE:
        return RequestAction.SIM_CHANGE
    return RequestAction.PORT_IN if line.number_source is NumberSource.PORT_IN else RequestAction.ACTIVATE


def payload_for(s: Session, act: Activation, line: ActivationLine) -> ProvisioningPayload:
    acct = s.get(Account, act.account_id) if act.account_id else None
    assert acct is not None and line.msisdn and line.plan_code and line.sim_kind
    p = ProvisioningPayload(activation=act.number, kind=act.kind.value, line_no=line.line_no,
                            account_number=acct.account_number, msisdn=line.msisdn, plan_code=line.plan_code,
                            features=list(features_of(line)), sim_kind=line.sim_kind.value)
    for key, value in (("iccid", line.iccid), ("eid", line.eid), ("imei", line.imei), ("imei2", line.imei2)):
        if value:
            p[key] = value  # type: ignore[literal-required]
    if line.line_id is not None:
        p["line_id"] = str(line.line_id)
    port = port_of(s, line) if line.number_source is NumberSource.PORT_IN else None
    if port is not None:
        p["port_in_id"] = str(port.id)
        p["port"] = PortDetails(old_carrier=port.old_carrier, old_account_number=port.old_account_number,
                                name=port.name, billing_zip=port.billing_zip, prepaid=port.prepaid,
                                desired_date=port.desired_date.isoformat() if port.desired_date else None)
    return p

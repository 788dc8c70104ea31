"""Activation: new lines, upgrades, SIM changes, port-ins (the counter's side) and the carrier's outbound queue.

* :mod:`.api` / :mod:`.dto` — the contract the F4 page and the account view build on;
  :mod:`.service` — :class:`~.service.ActivationService`, its implementation (one small module per step).
* :mod:`.pool` — the store's number pool (add, available, reserve, release, assign).
* :mod:`.cart` — an order into the register's sale; :mod:`.paid` — queued when that sale completes;
  :mod:`.sale_hooks` — back to draft when its cart lines are taken out or the sale is voided.
* :mod:`.requests` — writing provisioning requests into the durable outbound queue (inside a transaction).
"""

"""Activation: new lines, upgrades, SIM changes, port-ins (the counter's side) and the carrier's outbound queue.

* :mod:`.dto` — what the services return and take (the contract the F4 page and the account view build on).
* :mod:`.requests` — writing provisioning requests into the durable outbound queue (inside a transaction).
"""

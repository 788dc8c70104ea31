"""The card terminal panel follows the sync status: with the store's link down, store-and-forward is offered first."""

from __future__ import annotations

from posapp.adapters import controls
from ui.views.register.tender import CardTerminalPanel


def test_link_down_ticks_the_offline_box_and_the_rep_can_untick_it(qtbot):
    panel = CardTerminalPanel(simulator=True, label="Simulated terminal", cards=(controls.TestCard("visa", "Visa"),))
    qtbot.addWidget(panel)
    panel.start(12_345)
    assert not panel.offline.isChecked()
    panel.set_link_down(True)
    panel.start(12_345)
    assert panel.offline.isChecked()
    assert panel.offline.text() == "Store link down: take it offline (the last sync failed)"
    panel.offline.setChecked(False)  # only head office is unreachable; the card network answers
    assert not panel.offline.isChecked()
    panel.set_link_down(False)
    panel.start(500)
    assert not panel.offline.isChecked()
    assert panel.amount.text() == "5.00"

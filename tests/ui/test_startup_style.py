"""The login window's first paint uses only the stylesheet rules that can match it, and looks exactly as under
the full stylesheet (pixel for pixel)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from ui.startup_style import LOGIN_OBJECT_NAMES, object_names, subset_for
from ui.theme import stylesheet
from ui.views.login import LoginWindow


def test_subset_keeps_matching_rules_in_order():
    sheet = ("/* c { x } */ QPushButton { a: 1; }\n#Login QLabel, #Other QLabel { b: 2; }\n"
             "#Other { c: 3; }\nQLabel#Login:hover { d: 4; }")
    assert subset_for(sheet, {"Login"}) == ("QPushButton { a: 1; }\n#Login QLabel { b: 2; }\n"
                                            "QLabel#Login:hover { d: 4; }")


def test_the_login_window_looks_the_same_under_the_subset(qtbot, worker):
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.styleSheet()
    full = stylesheet()
    images = []
    try:
        for which in ("full", "subset"):
            login = LoginWindow(worker=worker)
            qtbot.addWidget(login)
            assert object_names(login) <= LOGIN_OBJECT_NAMES, "add the login window's new names to the list"
            app.setStyleSheet(full if which == "full" else subset_for(full, LOGIN_OBJECT_NAMES))
            login.resize(1280, 800)
            login.show()
            qtbot.waitExposed(login)
            images.append(login.grab().toImage())
            login.close()
    finally:
        app.setStyleSheet(before)
    assert subset_for(full, LOGIN_OBJECT_NAMES).count("{") < full.count("{") / 3
    assert images[0] == images[1]

"""The Activation page (F4): ``page.ActivationPage`` and its panels and controller."""

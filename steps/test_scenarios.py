"""Collect every scenario of the installed `features` package."""

from __future__ import annotations

from pathlib import Path

from pytest_bdd import scenarios

import features

FEATURES_DIRECTORY = Path(features.__file__).resolve().parent

scenarios(str(FEATURES_DIRECTORY))

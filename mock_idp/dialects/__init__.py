"""The wire formats of the identity providers that provision Soulanma."""

from __future__ import annotations

from mock_idp.dialects.base import ConnectionTest, Dialect, Unexpressible
from mock_idp.dialects.entra import EntraDialect
from mock_idp.dialects.entra_flag import EntraFlagDialect
from mock_idp.dialects.generic import GenericDialect
from mock_idp.dialects.jumpcloud import JumpCloudDialect
from mock_idp.dialects.okta import OktaDialect
from mock_idp.dialects.onelogin import OneLoginDialect

DIALECTS: dict[str, type[Dialect]] = {
    dialect.name: dialect
    for dialect in (
        GenericDialect,
        OktaDialect,
        EntraDialect,
        EntraFlagDialect,
        OneLoginDialect,
        JumpCloudDialect,
    )
}
DIALECT_NAMES = tuple(DIALECTS)


def get_dialect(name: str) -> Dialect:
    """Return the dialect called `name`, raising KeyError with the known names."""
    try:
        return DIALECTS[name]()
    except KeyError:
        raise KeyError(
            f"unknown identity provider {name!r}; known: {', '.join(DIALECT_NAMES)}"
        ) from None


__all__ = [
    "DIALECTS",
    "DIALECT_NAMES",
    "ConnectionTest",
    "Dialect",
    "Unexpressible",
    "get_dialect",
]

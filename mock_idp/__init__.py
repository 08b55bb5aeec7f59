"""A mock identity provider that provisions users over SCIM 2.0."""

from mock_idp.admin import AdminClient
from mock_idp.client import ScimClient
from mock_idp.identities import Identity, IdentityFactory
from mock_idp.provisioning import IdentityProvider
from mock_idp.transcript import Exchange, Transcript

__all__ = [
    "AdminClient",
    "Exchange",
    "Identity",
    "IdentityFactory",
    "IdentityProvider",
    "ScimClient",
    "Transcript",
]

Feature: Workspace requirements for SCIM
  SCIM provisioning needs the Enterprise plan and SAML SSO configured. Any other
  workspace answers every SCIM request with 403 and a detail naming what is
  missing.

  Rule: A workspace without SAML SSO configured answers every SCIM request with 403

    @admin
    Scenario Outline: SCIM without SAML SSO
      Given a workspace without SAML SSO configured
      When the identity provider <request>
      Then the request fails with status 403
      And the error detail mentions "SAML"

      Examples: Requests
        | request                                         |
        | looks up the user by userName                   |
        | provisions the user with editor true            |
        | reads the service provider configuration        |

    @admin
    Scenario: A user provisioned before SAML was switched off is not changed
      Given the identity provider has provisioned the user as viewer
      And a workspace without SAML SSO configured
      When the identity provider sets editor to true with PATCH
      Then the request fails with status 403
      And the workspace lists the user as pending with role viewer

  Rule: A workspace that is not on the Enterprise plan answers every SCIM request with 403

    @admin
    Scenario Outline: SCIM outside the Enterprise plan
      Given a workspace on the <plan> plan
      When the identity provider <request>
      Then the request fails with status 403
      And the error detail mentions "Enterprise"

      Examples: Plans
        | plan     | request                                  |
        | business | looks up the user by userName            |
        | business | provisions the user with editor true     |
        | free     | looks up the user by userName            |
        | free     | reads the service provider configuration |

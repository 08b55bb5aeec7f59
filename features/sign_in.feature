Feature: First SAML sign-in
  A provisioned user becomes a workspace member at the first SAML sign-in, when
  Soulanma creates the account or links the existing one by email. Removed and
  unknown users are refused.

  Rule: The first sign-in makes a pending user a member with the provisioned role

    @admin
    Scenario Outline: A pending user signs in
      Given the identity provider has provisioned the user as <role>
      When the user signs in with SAML SSO
      Then the sign-in succeeds
      And the workspace lists the user as member with role <role>
      And SCIM reads the user as <role> and member

      Examples: Roles
        | role   |
        | editor |
        | viewer |

  Rule: The first sign-in links the existing Soulanma account with the same email

    @admin
    Scenario: A user with an account signs in
      Given the user has a Soulanma account outside the workspace
      And the identity provider has provisioned the user as viewer
      When the user signs in with SAML SSO
      Then the sign-in succeeds
      And the workspace lists the user as a member with the existing account

    @admin
    Scenario: A sign-in with the email in another letter case links the user
      Given the identity provider has provisioned the user as editor
      When the user signs in with SAML SSO using the email in upper case
      Then the sign-in succeeds
      And the workspace lists the user as member with role editor

    @admin
    Scenario: A second sign-in reuses the account
      Given the identity provider has provisioned the user as viewer
      And the user has signed in with SAML SSO
      When the user signs in with SAML SSO
      Then the sign-in succeeds
      And the user has exactly one Soulanma account

  Rule: Removed, deleted and unknown users are refused at sign-in

    @admin
    Scenario: A deactivated user is refused
      Given the identity provider has provisioned the user as editor
      And the identity provider has deactivated the user
      When the user signs in with SAML SSO
      Then the sign-in is refused
      And the workspace lists the user as removed

    @admin
    Scenario: A deleted user is refused
      Given the identity provider has provisioned the user as editor
      And the identity provider has deleted the user
      When the user signs in with SAML SSO
      Then the sign-in is refused
      And the workspace does not list the user

    @admin
    Scenario: A person the identity provider never provisioned is refused
      When the user signs in with SAML SSO
      Then the sign-in is refused
      And the workspace does not list the user

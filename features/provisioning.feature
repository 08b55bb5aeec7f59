Feature: Provisioning users
  The identity provider creates Soulanma users over SCIM, with their email as
  userName. A new user waits as pending, with the role that editor sets or the
  workspace default, until the first SAML sign-in.

  Rule: A new user gets the role that editor sets, or the workspace default when editor is absent or null

    @admin
    Scenario Outline: Role of a new user
      Given a workspace whose default role is <default>
      When the identity provider provisions the user with editor <editor>
      Then the request succeeds with status 201
      And SCIM reads the user as <role> and pending
      And the workspace lists the user as pending with role <role>

      Examples: Default role viewer
        | default | editor | role   |
        | viewer  | true   | editor |
        | viewer  | false  | viewer |
        | viewer  | absent | viewer |
        | viewer  | null   | viewer |

      Examples: Default role editor
        | default | editor | role   |
        | editor  | true   | editor |
        | editor  | false  | viewer |
        | editor  | absent | editor |
        | editor  | null   | editor |

    Scenario Outline: Explicit role of a new user
      When the identity provider provisions the user with editor <editor>
      Then the request succeeds with status 201
      And SCIM reads the user as <role> and pending

      Examples: Editor sent
        | editor | role   |
        | true   | editor |
        | false  | viewer |

  Rule: A new user is pending, with no account and no seat, until the first SAML sign-in

    Scenario: A pending user reads active
      When the identity provider provisions the user with editor true
      Then the request succeeds with status 201
      And SCIM reads the user as active
      And SCIM reads the user as editor and pending

    @admin
    Scenario: A pending editor has no account and holds no seat
      Given a workspace whose default role is viewer
      When the identity provider provisions the user with editor true
      Then the workspace lists the user as pending with no account
      And the workspace has 0 editor seats

  Rule: userName is an email address, one user per email per workspace in any letter case

    Scenario Outline: A userName that is no email address is rejected
      When the identity provider provisions a user whose userName is "<user_name>"
      Then the request fails with status 400 and scimType "invalidValue"

      Examples: Not email addresses
        | user_name         |
        | jdoe              |
        | jdoe@             |
        | @example.com      |
        | j doe@example.com |

    @protocol
    Scenario: The userName is stored as sent
      When the identity provider provisions the user with the email in mixed case
      Then the request succeeds with status 201
      And SCIM reads the userName exactly as sent

    @protocol
    Scenario: The same email cannot be provisioned twice
      Given the identity provider has provisioned the user
      When the identity provider provisions the user again
      Then the request fails with status 409 and scimType "uniqueness"
      And a lookup by userName finds exactly one user

    @protocol
    Scenario: The same email in another letter case is the same user
      Given the identity provider has provisioned the user
      When the identity provider provisions the user again with the email in upper case
      Then the request fails with status 409 and scimType "uniqueness"
      And a lookup by userName finds exactly one user

  Rule: A member invited by hand is linked to the new SCIM user and keeps role and state unless editor is sent

    @admin
    Scenario Outline: Provisioning a member invited by hand
      Given a member invited by hand as <invited>
      When the identity provider provisions the user with editor <editor>
      Then the request succeeds with status 201
      And the SCIM user has the member's id and state
      And the workspace lists the user as SCIM-managed with role <role>

      Examples: Editor absent keeps the role
        | invited | editor | role   |
        | viewer  | absent | viewer |
        | editor  | absent | editor |
        | editor  | null   | editor |

      Examples: Editor sent sets the role
        | invited | editor | role   |
        | viewer  | true   | editor |
        | editor  | false  | viewer |

    @admin
    Scenario: A member invited by hand who has signed in stays a member
      Given a member invited by hand as editor
      And the user has signed in with SAML SSO
      When the identity provider provisions the user with editor absent
      Then SCIM reads the user as editor and member
      And the workspace lists the user as member with role editor

  Rule: An email with a Soulanma account outside the workspace stays pending until its first sign-in

    @admin
    Scenario: A user with an existing account is provisioned as pending
      Given the user has a Soulanma account outside the workspace
      When the identity provider provisions the user with editor true
      Then SCIM reads the user as editor and pending
      And the workspace lists the user as pending with no account

  Rule: The create body is a core User, with optional enterprise and Soulanma extensions

    Scenario: A create without schemas is a core User
      When the identity provider provisions the user without schemas
      Then the request succeeds with status 201
      And SCIM reads the user's name as sent

    Scenario: A schemas array without the core User schema is rejected
      When the identity provider provisions the user with only the enterprise schema
      Then the request fails with status 400 and scimType "invalidValue"

    Scenario: An attribute outside the User schemas is rejected
      When the identity provider provisions the user with the attribute "favouriteColour"
      Then the request fails with status 400 and scimType "invalidValue"

    @protocol
    Scenario: A password is accepted and never returned
      When the identity provider provisions the user with a password
      Then the request succeeds with status 201
      And no response carries the password

    Scenario: A create with active as the string "True"
      When the identity provider provisions the user with "active" set to "True"
      Then the request succeeds with status 201
      And the response reads active as the JSON boolean true
      And SCIM reads the user as active

  Rule: An update changes the email and userName together, never to another user's email

    Scenario: Changing the email
      Given the identity provider has provisioned the user as viewer
      When the identity provider changes the user's email
      Then the update succeeds
      And SCIM reads "userName" as "{new_email}"
      And SCIM reads the work email as "{new_email}"

    Scenario: Changing the email to another user's email in another letter case
      Given the identity provider has provisioned the user as viewer
      And the identity provider has provisioned a collaborator
      When the identity provider changes the user's email to the collaborator's in upper case
      Then the request fails with status 409 and scimType "uniqueness"
      And SCIM reads the userName as provisioned
      And SCIM reads the work email as "{email}"

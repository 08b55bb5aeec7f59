Feature: Editor seats
  Only members with the editor role hold an editor seat, so a pending editor
  costs nothing until the first sign-in.

  Rule: Only members with the editor role hold an editor seat

    @admin
    Scenario Outline: Seats of signed-in members
      Given the identity provider has provisioned the user as <role>
      When the user signs in with SAML SSO
      Then the workspace has <seats> editor seats

      Examples: Roles
        | role   | seats |
        | editor | 1     |
        | viewer | 0     |

    @admin
    Scenario: A pending editor holds no seat
      When the identity provider provisions the user with editor true
      Then the request succeeds with status 201
      And the workspace has 0 editor seats

    @admin
    Scenario: Changing a member to viewer frees the seat
      Given the identity provider has provisioned the user as editor
      And the user has signed in with SAML SSO
      When the identity provider sets editor to false with PATCH
      Then the workspace has 0 editor seats

    @admin
    Scenario: Changing a member to editor takes a seat
      Given the identity provider has provisioned the user as viewer
      And the user has signed in with SAML SSO
      When the identity provider sets editor to true with PUT
      Then the workspace has 1 editor seats

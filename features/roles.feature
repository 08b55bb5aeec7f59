Feature: Workspace roles over SCIM
  The editor attribute of the Soulanma extension sets a user's role: true for
  editor, false for viewer. An update that leaves editor out keeps the role, and
  SCIM never grants or revokes workspace admin.

  Rule: An update without editor keeps the role, on PUT and on PATCH

    Scenario Outline: Updating the profile keeps the role
      Given the identity provider has provisioned the user as <role>
      When the identity provider <update>
      Then the update succeeds
      And SCIM reads the user as <role> and pending

      Examples: Editor
        | role   | update                                          |
        | editor | replaces the user's profile without editor      |
        | editor | patches the user's family name                  |
        | editor | removes the user's editor attribute             |
        | editor | sets editor to null with PATCH                  |
        | editor | sets editor to null with PUT                    |

      Examples: Viewer
        | role   | update                                          |
        | viewer | replaces the user's profile without editor      |
        | viewer | patches the user's family name                  |
        | viewer | removes the user's editor attribute             |
        | viewer | sets editor to null with PATCH                  |
        | viewer | sets editor to null with PUT                    |

    @admin
    Scenario: An update without editor keeps a member's role in the workspace
      Given a workspace whose default role is viewer
      And the identity provider has provisioned the user as editor
      And the user has signed in with SAML SSO
      When the identity provider replaces the user's profile without editor
      Then the workspace lists the user as member with role editor

  Rule: An update with editor true or false sets the role

    Scenario Outline: Setting the role on update
      Given the identity provider has provisioned the user as <before>
      When the identity provider sets editor to <editor> with <method>
      Then the update succeeds
      And SCIM reads the user as <after> and pending

      Examples: PATCH
        | before | editor | method | after  |
        | viewer | true   | PATCH  | editor |
        | editor | false  | PATCH  | viewer |

      Examples: PUT
        | before | editor | method | after  |
        | viewer | true   | PUT    | editor |
        | editor | false  | PUT    | viewer |

    @admin
    Scenario: Setting the role changes the member's role in the workspace
      Given the identity provider has provisioned the user as viewer
      And the user has signed in with SAML SSO
      When the identity provider sets editor to true with PATCH
      Then the workspace lists the user as member with role editor

  Rule: editor is accepted as the strings "true" and "false" in any letter case, and without its URN in schemas

    Scenario Outline: editor as a string on create
      When the identity provider provisions the user with editor <editor>
      Then the request succeeds with status 201
      And SCIM reads the user as <role> and pending

      Examples: Strings
        | editor  | role   |
        | "True"  | editor |
        | "true"  | editor |
        | "TRUE"  | editor |
        | "False" | viewer |
        | "false" | viewer |

    Scenario Outline: editor as a string on PATCH, as Entra ID sends it
      Given the identity provider has provisioned the user as <before>
      When the identity provider sets editor to <editor> with PATCH
      Then the update succeeds
      And SCIM reads the user as <after> and pending

      Examples: Strings
        | before | editor  | after  |
        | viewer | "True"  | editor |
        | editor | "False" | viewer |

    Scenario: editor without the extension URN in schemas
      When the identity provider provisions the user with editor true but without the extension in schemas
      Then the request succeeds with status 201
      And SCIM reads the user as editor and pending

    Scenario: editor that is neither a boolean nor a boolean string is rejected
      When the identity provider provisions the user with editor "yes"
      Then the request fails with status 400 and scimType "invalidValue"

  Rule: SCIM never grants or revokes workspace admin

    Scenario Outline: A role naming admin or owner is rejected
      When the identity provider provisions the user with the role "<role>"
      Then the request fails with status 400 and scimType "invalidValue"
      And the error detail mentions "workspace settings"

      Examples: Admin roles
        | role  |
        | admin |
        | owner |
        | Admin |

    Scenario: A role naming admin is rejected on PATCH
      Given the identity provider has provisioned the user as viewer
      When the identity provider adds the role "admin" with PATCH
      Then the request fails with status 400 and scimType "invalidValue"
      And the error detail mentions "workspace settings"

    @admin
    Scenario Outline: An admin stays admin through role changes
      Given the identity provider has provisioned the user as <before>
      And the user has signed in with SAML SSO
      And the user is a workspace admin
      When the identity provider sets editor to <editor> with <method>
      Then the workspace lists the user as admin with role <after>

      Examples: Role changes
        | before | editor | method | after  |
        | editor | false  | PATCH  | viewer |
        | viewer | true   | PUT    | editor |

    @admin
    Scenario: An admin stays admin when editor is removed
      Given the identity provider has provisioned the user as editor
      And the user has signed in with SAML SSO
      And the user is a workspace admin
      When the identity provider removes the user's editor attribute
      Then the workspace lists the user as admin with role editor

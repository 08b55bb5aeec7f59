Feature: Deactivating and deleting users
  Deactivation removes the user from the workspace at once, while the SCIM
  resource stays readable and shared content stays open to collaborators.
  Deletion removes the resource too, but never the account or its content.

  Rule: Deactivation removes the user from the workspace at once and frees the seat

    @admin
    Scenario: Deactivating a member
      Given the identity provider has provisioned the user as editor
      And the user has signed in with SAML SSO
      When the identity provider deactivates the user
      Then the update succeeds
      And the workspace lists the user as removed
      And the workspace has 0 editor seats

  Rule: A deactivated user stays readable by id and by filter, with the same id and active false

    Scenario: Reading a deactivated user
      Given the identity provider has provisioned the user as viewer
      When the identity provider deactivates the user
      Then the update succeeds
      And SCIM reads the user by id as inactive
      And a lookup by userName finds the user as inactive

    Scenario: Deactivating with a full PUT, as Okta's app-wizard integrations do
      Given the identity provider has provisioned the user as viewer
      When the identity provider deactivates the user with PUT
      Then the update succeeds
      And SCIM reads the user by id as inactive
      And a lookup by userName finds the user as inactive

    Scenario: A deactivated user reads as removed, with the rest unchanged
      Given the identity provider has provisioned the user as viewer
      When the identity provider deactivates the user
      Then SCIM reads the user as viewer and removed
      And SCIM reads the userName as provisioned
      And SCIM reads the work email as "{email}"

  Rule: Content that a deactivated user created in shared folders stays open to collaborators

    @admin
    Scenario: A collaborator opens a deactivated author's shared document
      Given the user is a member who wrote a document in the shared folder
      And a collaborator is a member of the workspace
      When the identity provider deactivates the user
      Then the collaborator can open the document
      And the user cannot open the document

  Rule: Reactivation makes the user pending again until the next sign-in

    Scenario: A reactivated user is pending with the same id
      Given the identity provider has provisioned the user as editor
      And the identity provider has deactivated the user
      When the identity provider reactivates the user
      Then the update succeeds
      And SCIM reads the user as editor and pending with the same id

    @admin
    Scenario: A reactivated member is pending until the next sign-in
      Given the identity provider has provisioned the user as editor
      And the user has signed in with SAML SSO
      And the identity provider has deactivated the user
      When the identity provider reactivates the user
      Then the workspace lists the user as pending with role editor

    @admin
    Scenario: A reactivated member who signs in is a member again
      Given the identity provider has provisioned the user as editor
      And the user has signed in with SAML SSO
      And the identity provider has deactivated the user
      When the identity provider reactivates the user
      And the user signs in with SAML SSO
      Then the workspace lists the user as member with role editor

  Rule: Deletion removes the SCIM resource and the user from the workspace, but keeps the account and shared content

    @protocol
    Scenario: A deleted user is gone from SCIM
      Given the identity provider has provisioned the user as viewer
      When the identity provider deletes the user
      Then the request succeeds with status 204
      And SCIM answers 404 for the user's id
      And a lookup by userName finds no user

    Scenario: Deleting twice
      Given the identity provider has provisioned the user as viewer
      And the identity provider has deleted the user
      When the identity provider deletes the user
      Then the request fails with status 404

    @admin
    Scenario: A deleted member leaves the workspace and keeps the account
      Given the identity provider has provisioned the user as editor
      And the user has signed in with SAML SSO
      When the identity provider deletes the user
      Then the workspace does not list the user
      And the user's Soulanma account still exists
      And the workspace has 0 editor seats

    @admin
    Scenario: A deleted author's shared document stays open to collaborators
      Given the user is a member who wrote a document in the shared folder
      And a collaborator is a member of the workspace
      When the identity provider deletes the user
      Then the collaborator can open the document
      And the user cannot open the document

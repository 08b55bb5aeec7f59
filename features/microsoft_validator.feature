@microsoft_validator
Feature: Microsoft's SCIM validator
  The user tests of Microsoft's SCIM Validator (scimvalidator.microsoft.com),
  sent as the validator sends them: lowercase ops, JSON booleans and
  application/scim+json; charset=utf-8. Passing these scenarios means passing
  the validator's user tests. Soulanma has no groups, so the validator's group
  tests do not apply: they are not imitated, and these scenarios instead check
  that /Groups answers 404 in the SCIM Error form and that /Schemas names no
  Group schema, so that "Enable Group Tests" stays off. Each check runs once,
  under the entra dialect.

  Rule: The validator creates, finds and reads a user

    Scenario: Create User
      When the validator creates the user
      Then the request succeeds with status 201
      And the created user echoes the validator's userName with an id

    Scenario: Create a duplicate User
      Given the validator has created the user
      When the validator creates the user
      Then the request fails with status 409 and scimType "uniqueness"

    Scenario Outline: Filter for an existing user
      Given the validator has created the user
      When the validator filters on the user's userName <spelling>
      Then the request succeeds with status 200
      And the filter finds only the user

      Examples: Spellings
        | spelling            |
        | as created          |
        | in a different case |

    Scenario: Get User by ID
      Given the validator has created the user
      When the validator reads the user by id
      Then the request succeeds with status 200
      And the user read is the validator's user

  Rule: The validator's PATCH tests change what they name and keep the user readable

    Scenario: Patch User - Disable User
      Given the validator has created the user
      When the validator patches the user with
        """
        [{"op": "replace", "path": "active", "value": false}]
        """
      Then the update succeeds
      And SCIM reads the user by id as inactive
      And a lookup by userName finds the user as inactive

    Scenario: Patch User - Add Attributes
      Given the validator has created the user
      When the validator patches the user with
        """
        [{"op": "add", "path": "title", "value": "Validator"},
         {"op": "add", "path": "nickName", "value": "Val"},
         {"op": "add", "path": "phoneNumbers[type eq \"work\"].value", "value": "+1 555 0100"}]
        """
      Then the update succeeds
      And SCIM reads "title" as "Validator"
      And SCIM reads "nickName" as "Val"
      And SCIM reads the work phone number as "+1 555 0100"

    Scenario: Patch User - Replace Attributes
      Given the validator has created the user
      When the validator patches the user with
        """
        [{"op": "replace", "path": "emails[type eq \"work\"].value", "value": "{new_email}"},
         {"op": "replace", "path": "phoneNumbers[type eq \"work\"].value", "value": "+1 555 0101"},
         {"op": "replace", "path": "addresses[type eq \"work\"].streetAddress", "value": "1 Validator Way"},
         {"op": "replace", "path": "addresses[type eq \"work\"].locality", "value": "Redmond"}]
        """
      Then the update succeeds
      And SCIM reads the work email as "{new_email}"
      And SCIM reads the work phone number as "+1 555 0101"
      And SCIM reads the work address as "1 Validator Way" in "Redmond"

    Scenario: Update User userName
      Given the validator has created the user
      When the validator patches the user with
        """
        [{"op": "replace", "value": {"userName": "{new_email}"}}]
        """
      Then the update succeeds
      And SCIM reads "userName" as "{new_email}"

    Scenario: Patch User - Add, Replace and Remove Manager
      Given the validator has created the user
      And the validator has created a manager for the user
      When the validator adds the manager
      Then the update succeeds
      And SCIM reads the manager as the validator's manager
      When the validator removes the manager
      Then the update succeeds
      And SCIM reads no manager

    Scenario: Patch User - Multiple Ops on different attributes
      Given the validator has created the user
      When the validator patches the user with
        """
        [{"op": "replace", "path": "name.givenName", "value": "Multi"},
         {"op": "replace", "path": "name.familyName", "value": "Ops"},
         {"op": "add", "path": "title", "value": "Validator"}]
        """
      Then the update succeeds
      And SCIM reads "name.givenName" as "Multi"
      And SCIM reads "name.familyName" as "Ops"
      And SCIM reads "title" as "Validator"

    Scenario: Patch User - Multiple Ops on the same attribute
      Given the validator has created the user
      When the validator patches the user with
        """
        [{"op": "add", "path": "title", "value": "First"},
         {"op": "replace", "path": "title", "value": "Second"}]
        """
      Then the update succeeds
      And SCIM reads "title" as "Second"

  Rule: The validator deletes a user once; later deletes get 404

    Scenario: Delete User, then delete the same User again
      Given the validator has created the user
      When the validator deletes the user
      Then the request succeeds with status 204
      And the validator's second delete of the user fails with status 404

    Scenario: Delete a non-existent User
      When the validator deletes a user id that does not exist
      Then the request fails with status 404

  Rule: The validator's group tests do not apply to Soulanma, which has no groups

    Scenario: Create Group answers 404
      When the validator creates a group
      Then the request fails with status 404
      And the error detail mentions "group"

    Scenario: Filter for an existing group answers 404
      When the validator filters groups by displayName
      Then the request fails with status 404

    Scenario: The schemas name no Group schema
      When the validator reads the schemas
      Then the request succeeds with status 200
      And the schemas name no Group schema

@once
Feature: Groups are not supported
  Soulanma neither fetches nor provisions groups: /Groups answers 404 in the
  SCIM Error form, and User is the only resource type.

  Rule: /Groups answers 404 in the SCIM Error form

    @read_only
    Scenario: Listing groups
      When the identity provider lists groups
      Then the request fails with status 404
      And the error detail mentions "not supported"

    Scenario: Creating a group
      When the identity provider creates a group
      Then the request fails with status 404
      And a list of groups still answers 404

    @read_only
    Scenario: User is the only resource type
      When the identity provider reads the resource types
      Then the request succeeds with status 200
      And the only resource type is User at "/Users"

@needs_patch
Feature: Patching users
  Identity providers send PATCH operations in several dialects. Soulanma applies
  the operations of RFC 7644, Section 3.5.2 with op names in any letter case,
  with or without a path, and all of them or none.

  Background:
    Given the identity provider has provisioned the user as viewer

  Rule: An op name is accepted in any letter case

    @protocol
    Scenario Outline: Replacing the family name
      When the identity provider patches with op "<op>" at path "name.familyName" the value "Okafor"
      Then the update succeeds
      And SCIM reads "name.familyName" as "Okafor"

      Examples: Letter case
        | op      |
        | replace |
        | Replace |
        | REPLACE |

    @protocol
    Scenario Outline: Adding a title
      When the identity provider patches with op "<op>" at path "title" the value "Analyst"
      Then the update succeeds
      And SCIM reads "title" as "Analyst"

      Examples: Letter case
        | op  |
        | add |
        | Add |

  Rule: A path-less replace sets each attribute of the value

    @protocol
    Scenario: A path-less replace of a sub-attribute keeps the others
      When the identity provider patches without a path the value {"name": {"familyName": "Okafor"}}
      Then the update succeeds
      And SCIM reads "name.familyName" as "Okafor"
      And SCIM reads the given name as provisioned

    Scenario: A path-less replace whose keys are attribute paths
      When the identity provider patches without a path the value {"displayName": "Ada Example", "name.givenName": "Ada", "name.familyName": "Example", "urn:ietf:params:scim:schemas:extension:soulanma:2.0:User:editor": true}
      Then the update succeeds
      And SCIM reads "displayName" as "Ada Example"
      And SCIM reads "name.givenName" as "Ada"
      And SCIM reads "name.familyName" as "Example"
      And SCIM reads the user as editor and pending

    @protocol
    Scenario: A path-less replace with an extension object
      When the identity provider patches without a path the value {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Research"}}
      Then the update succeeds
      And SCIM reads the enterprise "department" as "Research"

  Rule: A path may be a value filter, a sub-attribute or a URN-qualified attribute

    @protocol
    Scenario: A value-filter path replaces the work email
      When the identity provider patches with op "replace" at path 'emails[type eq "work"].value' the value "{new_email}"
      Then the update succeeds
      And SCIM reads the work email as "{new_email}"
      And SCIM reads the userName as provisioned

    @protocol
    Scenario: A sub-attribute path replaces the given name
      When the identity provider patches with op "replace" at path "name.givenName" the value "Ngozi"
      Then the update succeeds
      And SCIM reads "name.givenName" as "Ngozi"
      And SCIM reads the family name as provisioned

    @protocol
    Scenario: A URN-qualified path sets an enterprise attribute
      When the identity provider patches with op "add" at path "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" the value "Research"
      Then the update succeeds
      And SCIM reads the enterprise "department" as "Research"

    @protocol
    Scenario Outline: A remove clears an attribute
      Given the identity provider has patched with op "add" at path "title" the value "Analyst"
      When the identity provider patches with op "<op>" at path "title"
      Then the update succeeds
      And SCIM reads no "title"

      Examples: Letter case
        | op     |
        | remove |
        | Remove |

    @protocol
    Scenario: A core attribute by its full URN
      When the identity provider patches with op "Replace" at path "urn:ietf:params:scim:schemas:core:2.0:User:displayName" the value "Ada Example"
      Then the update succeeds
      And SCIM reads "displayName" as "Ada Example"

  Rule: A failing operation fails the whole request and changes nothing

    @protocol
    Scenario: A bad second operation undoes the first
      When the identity provider patches the family name to "Okafor" and active to "maybe"
      Then the request fails with status 400 and scimType "invalidValue"
      And SCIM reads the family name as provisioned
      And SCIM reads the user as active

    @protocol
    Scenario: A remove without a path has no target
      When the identity provider patches with op "remove" without a path
      Then the request fails with status 400 and scimType "noTarget"
      And SCIM reads the family name as provisioned

    @protocol
    Scenario Outline: A malformed sub-attribute operation is rejected
      When the identity provider patches with op "Replace" at path "<path>" the JSON value <value>
      Then the request fails with status 400 and scimType "<scim_type>"
      And SCIM reads the family name as provisioned

      Examples: Unknown paths and wrong types
        | path            | value     | scim_type    |
        | name.nickname   | "Example" | invalidPath  |
        | name.familyName | 42        | invalidValue |
        | name            | "Example" | invalidValue |

    @protocol
    Scenario: An unknown op is rejected
      When the identity provider patches with op "merge" at path "title" the value "Analyst"
      Then the request fails with status 400
      And SCIM reads no "title"

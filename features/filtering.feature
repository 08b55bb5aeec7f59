@needs_filter @protocol
Feature: Filtering users
  Identity providers match users with filters before they create them. Soulanma
  evaluates the filters of RFC 7644, Section 3.4.2.2 with attribute names and
  operators in any letter case, and userName compared in any letter case.

  Rule: A filter finds the user it describes

    Scenario Outline: Finding the user with a filter
      Given the identity provider has provisioned the user as viewer
      When the identity provider filters users with '<filter>'
      Then the request succeeds with status 200
      And the filter finds only the user

      Examples: userName in any letter case
        | filter                          |
        | userName eq "{email}"           |
        | userName eq "{EMAIL}"           |
        | USERNAME EQ "{email}"           |
        | username Eq "{email}"           |

      Examples: Other attributes
        | filter                                      |
        | externalId eq "{external_id}"               |
        | emails[type eq "work"].value eq "{email}"   |
        | emails[type eq "work" and value eq "{email}"] |
        | name.familyName eq "{family_name}" and userName eq "{email}" |
        | userName sw "{local_part}@"                 |
        | userName co "{local_part}@"                 |

      Examples: Logical operators
        | filter                                                           |
        | userName eq "{email}" and active eq true                         |
        | userName eq "{email}" AND active eq true                         |
        | userName eq "{email}" or userName eq "{unknown_email}"           |
        | userName eq "{email}" and not (active eq false)                  |
        | (userName eq "{unknown_email}" or externalId eq "{external_id}") |
        | userName eq "{email}" and externalId pr                          |

    Scenario Outline: A filter that excludes the user
      Given the identity provider has provisioned the user as viewer
      When the identity provider filters users with '<filter>'
      Then the request succeeds with status 200
      And the filter finds no user

      Examples: Excluding filters
        | filter                                        |
        | userName eq "{email}" and active eq false     |
        | userName eq "{email}" and not (active eq true) |
        | userName ne "{email}" and externalId eq "{external_id}" |
        | externalId eq "{EXTERNAL_ID}"                 |

  Rule: A filter that matches nobody answers 200 with an empty list

    @read_only
    Scenario: Looking up an unknown userName
      When the identity provider filters users with 'userName eq "{unknown_email}"'
      Then the request succeeds with status 200
      And the filter finds no user
      And the page starts at index 1 and holds 0 users

    @read_only
    Scenario: Looking up a random external id, as Entra ID tests a connection
      When the identity provider filters users with 'externalId eq "{random_uuid}"'
      Then the request succeeds with status 200
      And the filter finds no user

  Rule: A malformed filter gets 400 invalidFilter

    @read_only
    Scenario Outline: Malformed filters
      When the identity provider filters users with '<filter>'
      Then the request fails with status 400 and scimType "invalidFilter"

      Examples: Malformed
        | filter                         |
        | userName eq                    |
        | userName is "a@example.com"    |
        | (userName eq "a@example.com"   |
        | userName eq "a@example.com     |
        | emails[type eq "work".value eq "x" |
        | userName eq "a" and            |

@once
Feature: Errors and media types
  Soulanma answers in application/scim+json and reports every failure in the
  SCIM Error form of RFC 7644, Section 3.12: the Error schema, the status as a
  string and a scimType where the RFC defines one.

  Rule: A body that is not valid JSON gets 400 invalidSyntax

    @protocol
    Scenario Outline: Malformed bodies
      When the identity provider sends the create body <body>
      Then the request fails with status 400 and scimType "invalidSyntax"

      Examples: Malformed
        | body                      |
        | '{"userName": '           |
        | 'not json'                |
        | '["a list"]'              |

  Rule: A value of the wrong type gets 400 invalidValue

    @protocol
    Scenario Outline: Wrong attribute types on create
      When the identity provider provisions the user with "<attribute>" set to <value>
      Then the request fails with status 400 and scimType "invalidValue"

      Examples: Wrong types
        | attribute   | value        |
        | userName    | 42           |
        | active      | "maybe"      |
        | emails      | "x@y.test"   |
        | name        | "Ada"        |
        | displayName | {"a": 1}     |

    @protocol
    Scenario: Wrong type on PUT
      Given the identity provider has provisioned the user as viewer
      When the identity provider replaces the user with "active" set to "maybe"
      Then the request fails with status 400 and scimType "invalidValue"
      And SCIM reads the user as active

  Rule: A body over 1 MiB gets 413

    Scenario: An oversized create
      When the identity provider sends a create body of 1100000 bytes
      Then the request fails with status 413
      And a lookup by userName finds no user

  Rule: An unknown id gets 404

    @protocol
    Scenario Outline: Requests for an unknown id
      When the identity provider sends <method> for an unknown user id
      Then the request fails with status 404

      Examples: Methods
        | method |
        | GET    |
        | PUT    |
        | PATCH  |
        | DELETE |

  Rule: Responses are application/scim+json, and requests may be application/json or carry a charset

    @protocol
    Scenario Outline: Request media types
      When the identity provider provisions the user with the content type "<content_type>"
      Then the request succeeds with status 201
      And the response is application/scim+json

      Examples: Media types
        | content_type                          |
        | application/scim+json                 |
        | application/json                      |
        | application/scim+json; charset=utf-8  |
        | application/json; charset=UTF-8       |
        | application/scim+json;charset=UTF-8   |

    @read_only @protocol
    Scenario: A list answers in application/scim+json
      When the identity provider lists users from startIndex 1 with count 1
      Then the request succeeds with status 200
      And the response is application/scim+json

    @read_only @protocol
    Scenario Outline: Listing with another Accept header
      When the identity provider lists users with Accept "<accept>"
      Then the request succeeds with status 200
      And the response is a list of users

      Examples: Accept headers
        | accept           |
        | application/json |
        | */*              |

    @read_only @protocol
    Scenario Outline: A trailing slash on /Users/ lists users
      When the identity provider lists users at "<path>"
      Then the request succeeds with status 200
      And the response is a list of users

      Examples: Paths
        | path                                                      |
        | /Users/                                                   |
        | /Users/?filter=userName%20eq%20%22nobody%40example.com%22 |

    Scenario: A trailing slash on /Users/ creates a user
      When the identity provider provisions the user at "/Users/"
      Then the request succeeds with status 201
      And SCIM reads the user's name as sent

  Rule: Read-only attributes sent on PUT are ignored

    Scenario: PUT with id, meta, groups and state
      Given the identity provider has provisioned the user as viewer
      When the identity provider replaces the user with read-only attributes of another user
      Then the update succeeds
      And SCIM reads the user as viewer and pending with the same id

@once
Feature: Bearer token authentication
  Every SCIM request carries the workspace's SCIM token as a bearer token. A
  request without it, or with anything else, gets 401 with a Bearer challenge
  and a SCIM Error body, and changes nothing.

  Rule: A request without the workspace's bearer token gets 401

    @read_only @protocol
    Scenario Outline: Listing users without valid credentials
      When the identity provider lists users <credentials>
      Then the request fails with status 401
      And the response challenges for a Bearer token

      Examples: Credentials
        | credentials                     |
        | without a token                 |
        | with a wrong bearer token       |
        | with the token as Basic         |
        | with an empty bearer token      |

    @protocol
    Scenario: A create without a token creates nothing
      When the identity provider provisions the user without a token
      Then the request fails with status 401
      And a lookup by userName finds no user

    @protocol
    Scenario: Reading a user without a token
      Given the identity provider has provisioned the user as viewer
      When the identity provider reads the user without a token
      Then the request fails with status 401
      And the response challenges for a Bearer token

    @admin
    Scenario: The token of another workspace cannot see the user
      Given the identity provider has provisioned the user as viewer
      When another workspace's identity provider looks up the user by userName
      Then the lookup finds no user

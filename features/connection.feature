Feature: Connecting an identity provider
  Before it provisions anyone, each identity provider tests the connection in
  its own way and matches people to existing users by userName. Soulanma
  answers each provider's connection test as that provider expects, and a
  match finds the user whatever the provider's query encoding.

  Rule: Each identity provider's connection test succeeds

    Scenario: Testing the connection
      When the identity provider tests the connection
      Then the connection test passes

  Rule: The identity provider matches an existing user by userName before it creates one

    Scenario: Matching a provisioned user
      Given the identity provider has provisioned the user
      When the identity provider looks up the user by userName
      Then the lookup finds only the user

    Scenario: Matching a user who is not there
      When the identity provider looks up the user by userName
      Then the lookup finds no user

  Rule: An import reads every provisioned user in the provider's page size

    Scenario: Importing in the provider's page size
      Given the identity provider has provisioned 3 users
      When the identity provider imports all users
      Then the import holds every provisioned user once

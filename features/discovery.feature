@once
Feature: Service discovery
  The discovery endpoints of RFC 7644, Section 4 describe what Soulanma
  supports: PATCH and filtering without bulk, sort or ETags, the User resource
  with the enterprise and Soulanma extensions, and bearer tokens.

  Rule: /ServiceProviderConfig states the supported features

    @read_only @protocol
    Scenario: Reading the service provider configuration
      When the identity provider reads the service provider configuration
      Then the request succeeds with status 200
      And the configuration supports PATCH and filtering but not bulk
      And the configuration names OAuth bearer token authentication

  Rule: /ResourceTypes lists User only

    @read_only @protocol
    Scenario: Reading the resource types
      When the identity provider reads the resource types
      Then the request succeeds with status 200
      And the only resource type is User at "/Users"
      And the User resource type names the Soulanma extension

  Rule: /Schemas describes the core User schema and the Soulanma extension

    @read_only @protocol
    Scenario: Reading the schemas
      When the identity provider reads the schemas
      Then the request succeeds with status 200
      And the schemas include the core User schema
      And the schemas include the Soulanma extension with editor as a boolean

    @read_only @protocol
    Scenario: Reading the Soulanma extension schema by its URN
      When the identity provider reads the Soulanma extension schema
      Then the request succeeds with status 200
      And the schema has the read-only attribute "state"

Feature: Paging through users
  An identity provider imports the workspace's users page by page. startIndex is
  1-based and below 1 counts as 1, a negative count counts as 0, count is capped
  at 200, and users come in creation order.

  Rule: An import pages through every user once, in creation order

    Scenario: Importing users two at a time
      Given the identity provider has provisioned 5 users
      When the identity provider imports all users 2 per page
      Then every page holds at most 2 users
      And the import holds every provisioned user once
      And the provisioned users come in creation order

    @protocol
    Scenario: The order is stable between reads
      Given the identity provider has provisioned 3 users
      When the identity provider imports all users 2 per page
      Then a second import with 1 per page gives the same order

  Rule: startIndex below 1 counts as 1, and a negative count counts as 0

    @protocol
    Scenario Outline: Out-of-range startIndex and count
      Given the identity provider has provisioned 3 users
      When the identity provider lists users from startIndex <start_index> with count <count>
      Then the request succeeds with status 200
      And the page starts at index <page_start> and holds <items> users

      Examples: startIndex
        | start_index | count | page_start | items |
        | 1           | 2     | 1          | 2     |
        | 0           | 2     | 1          | 2     |
        | -5          | 2     | 1          | 2     |

      Examples: count
        | start_index | count | page_start | items |
        | 1           | 0     | 1          | 0     |
        | 1           | -1    | 1          | 0     |
        | 1           | -5    | 1          | 0     |
        | -3          | 2     | 1          | 2     |
        | 2           | 1     | 2          | 1     |

    @protocol
    Scenario: startIndex 0 gives the same page as startIndex 1
      Given the identity provider has provisioned 3 users
      When the identity provider lists users from startIndex 0 with count 2
      Then the page is the same as the page from startIndex 1

    @read_only @protocol
    Scenario: The list counters are JSON integers
      When the identity provider lists users from startIndex 1 with count 1
      Then the request succeeds with status 200
      And totalResults, startIndex and itemsPerPage are integers

  Rule: count is capped at 200

    @protocol @once
    Scenario: A count over 200 gives at most 200 users
      Given the identity provider has provisioned 201 users
      When the identity provider lists users from startIndex 1 with count 500
      Then the request succeeds with status 200
      And the page starts at index 1 and holds 200 users

  Rule: A startIndex or count that is not an integer gets 400 invalidValue

    @read_only @protocol
    Scenario Outline: Non-integer paging parameters
      When the identity provider lists users from startIndex <start_index> with count <count>
      Then the request fails with status 400 and scimType "invalidValue"

      Examples: Not integers
        | start_index | count |
        | abc         | 2     |
        | 1           | ten   |
        | 1.5         | 2     |
        | 1           | 2.0   |

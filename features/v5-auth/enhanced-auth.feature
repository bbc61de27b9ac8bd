@v5 @auth
Feature: Enhanced authentication (AUTH)
  A client may name an Authentication Method in CONNECT. A server that does not support it
  refuses the connection (0x8C or 0x87) and closes it, ignoring anything the client sent after the
  CONNECT. Without an Authentication Method the server sends no AUTH and no method in CONNACK,
  and an AUTH from the client is a protocol error. During an exchange every AUTH and the
  successful CONNACK repeat the method from CONNECT; a client may re-authenticate with AUTH 0x19.

  @MQTT-4.12.0-1 @MQTT-3.2.2-7
  Scenario: an unsupported Authentication Method is refused with 0x8C or 0x87 and the connection closed
    Given client "A" opened a network connection
    When "A" connects with authentication method "x-no-such-method-for-conformance"
    # 4.12.0-1: the refusing CONNACK is a MAY, the close a MUST.
    # checks if sent MQTT-3.2.2-7
    Then "A" is refused with reason code 0x8C or 0x87 if the broker sends one, and disconnected within 2 s
    # checks MQTT-4.12.0-1
    And "A" receives nothing like CONNACK reason code 0 for 100 ms

  @MQTT-4.12.0-1 @MQTT-3.2.2-6
  Scenario: a CONNACK refusing an unsupported method has Session Present 0, even for an existing session
    Given client "A" connected with session expiry 60
    And "A" disconnects
    When "A" connects with clean start false and session expiry 60 and authentication method "x-no-such-method-for-conformance"
    # checks MQTT-4.12.0-1
    Then the connection of "A" is closed within 2 s
    # checks MQTT-3.2.2-6
    And "A" receives nothing like CONNACK session present true for 100 ms

  @MQTT-3.1.4-6
  Scenario: packets sent after a refused CONNECT are not acted on
    Given client "A" opened a network connection
    When "A" connects with authentication method "x-no-such-method-for-conformance"
    And "A" sends PUBLISH topic "au/after" qos 0 payload "must-not-count" retain true
    # precondition
    Then the connection of "A" is closed within 2 s
    Given client "B" connected
    And "B" subscribed to "au/after"
    Then "B" receives no message for 500 ms

  @MQTT-4.12.0-6
  Scenario: without an Authentication Method the CONNACK carries none and no AUTH is sent
    Given client "A" opened a network connection
    When "A" connects
    Then "A" receives CONNACK reason code 0 within 2 s
    And the last CONNACK "A" received has no authentication method and no authentication data
    And "A" receives nothing like AUTH for 300 ms

  Scenario Outline: an AUTH on a connection that did not use enhanced authentication is a protocol error
    Given client "A" connected
    When "A" sends AUTH reason code <code> authentication method "SCRAM-SHA-256"
    Then the connection of "A" is closed within 2 s, with reason code 0x82 if the broker sends one

    # 4.12.0-7 binds the client (the harness breaks it here): checked is the receiver's close.
    @MQTT-4.13.1-1
    Examples:
      | code |
      | 0x18 |
      | 0x19 |

  @MQTT-3.15.1-1
  Scenario: an AUTH with reserved fixed-header flags set is malformed and ends the connection
    Given client "A" connected
    # AUTH with flags 0001, reason code 0x19, no properties.
    When "A" sends raw "f1 02 19 00"
    Then the connection of "A" is closed within 2 s, with reason code 0x81 or 0x82 if the broker sends one

  @MQTT-4.12.0-2 @MQTT-4.12.0-5 @MQTT-3.15.2-1
  Scenario: a SCRAM-SHA-256 exchange: the AUTH challenge and the CONNACK repeat the method
    Given the broker accepts SCRAM-SHA-256 authentication for the configured user
    And client "A" opened a network connection
    When "A" starts SCRAM-SHA-256 authentication
    Then "A" next receives AUTH reason code 0x18 authentication method "SCRAM-SHA-256" within 2 s
    When "A" answers the SCRAM challenge
    Then "A" next receives CONNACK reason code 0 authentication method "SCRAM-SHA-256" within 2 s

  @MQTT-4.12.0-4
  Scenario: a wrong SCRAM proof is refused and the connection closed
    Given the broker accepts SCRAM-SHA-256 authentication for the configured user
    And client "A" opened a network connection
    When "A" starts SCRAM-SHA-256 authentication
    Then "A" receives AUTH reason code 0x18 within 2 s
    When "A" answers the SCRAM challenge with a wrong password
    Then the connection of "A" is closed within 2 s, with a failure reason code if the broker sends one
    And "A" receives nothing like CONNACK reason code 0 for 100 ms

  @MQTT-4.12.0-5
  Scenario: an AUTH naming a different method during the exchange is a protocol error
    Given the broker accepts SCRAM-SHA-256 authentication for the configured user
    And client "A" opened a network connection
    When "A" starts SCRAM-SHA-256 authentication
    Then "A" receives AUTH reason code 0x18 within 2 s
    When "A" sends AUTH reason code 0x18 authentication method "PLAIN" authentication data "x"
    Then the connection of "A" is closed within 2 s, with a failure reason code if the broker sends one
    And "A" receives nothing like CONNACK reason code 0 for 100 ms

  @MQTT-4.12.1-1 @MQTT-4.12.0-2 @MQTT-4.12.0-5
  Scenario: re-authentication with the same method succeeds and the connection carries on
    Given the broker accepts SCRAM-SHA-256 authentication for the configured user
    And client "A" opened a network connection
    When "A" starts SCRAM-SHA-256 authentication
    And "A" receives AUTH reason code 0x18 within 2 s
    And "A" answers the SCRAM challenge
    Then "A" receives CONNACK reason code 0 within 2 s
    When "A" starts SCRAM-SHA-256 re-authentication
    Then "A" receives AUTH reason code 0x18 authentication method "SCRAM-SHA-256" within 2 s
    When "A" answers the SCRAM challenge
    Then "A" receives AUTH reason code 0 authentication method "SCRAM-SHA-256" within 2 s
    When "A" sends PINGREQ
    Then "A" receives PINGRESP within 2 s

  @MQTT-4.12.1-2 @MQTT-3.14.2-1
  Scenario: a failed re-authentication closes the connection
    Given the broker accepts SCRAM-SHA-256 authentication for the configured user
    And client "A" opened a network connection
    When "A" starts SCRAM-SHA-256 authentication
    And "A" receives AUTH reason code 0x18 within 2 s
    And "A" answers the SCRAM challenge
    Then "A" receives CONNACK reason code 0 within 2 s
    When "A" starts SCRAM-SHA-256 re-authentication
    Then "A" receives AUTH reason code 0x18 within 2 s
    When "A" answers the SCRAM challenge with a wrong password
    # checks if sent MQTT-3.14.2-1
    Then the connection of "A" is closed within 2 s, with a failure reason code if the broker sends one

  # 4.12.1-1 binds the client (the harness breaks it here): checked is the receiver's close.
  @MQTT-4.13.1-1
  Scenario: re-authentication naming a different method is a protocol error
    Given the broker accepts SCRAM-SHA-256 authentication for the configured user
    And client "A" opened a network connection
    When "A" starts SCRAM-SHA-256 authentication
    And "A" receives AUTH reason code 0x18 within 2 s
    And "A" answers the SCRAM challenge
    Then "A" receives CONNACK reason code 0 within 2 s
    When "A" sends AUTH reason code 0x19 authentication method "PLAIN" authentication data "x"
    Then the connection of "A" is closed within 2 s, with a failure reason code if the broker sends one

  @MQTT-3.15.2-2 @MQTT-3.15.2-3 @MQTT-3.2.2-19 @MQTT-3.2.2-20
  Scenario: the AUTH challenge and the CONNACK fit a small Maximum Packet Size
    Given the broker accepts SCRAM-SHA-256 authentication for the configured user
    And client "A" opened a network connection
    When "A" starts SCRAM-SHA-256 authentication with maximum packet size 160
    Then "A" receives AUTH reason code 0x18 authentication method "SCRAM-SHA-256" within 2 s
    When "A" answers the SCRAM challenge
    Then "A" receives CONNACK reason code 0 within 2 s
    And no packet "A" received was larger than 160 bytes

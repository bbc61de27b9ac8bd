@v5 @connack
Feature: Session Expiry Interval set in CONNECT and changed in DISCONNECT
  The Session Expiry Interval of CONNECT may be changed by the client's DISCONNECT, except from
  0 to a non-zero value, which is a protocol error. The server's own DISCONNECT never carries a
  Session Expiry Interval.

  @MQTT-4.1.0-2
  Scenario: a DISCONNECT with Session Expiry Interval 0 ends a session that would have lasted a minute
    Given client "A" connected with session expiry 60
    And "A" subscribed to "se/zero" with qos 1
    When "A" sends DISCONNECT reason code 0 session expiry interval 0
    And 300 ms pass
    And "A" connects with clean start false and session expiry 60
    Then "A" receives CONNACK reason code 0 session present false within 2 s

  @MQTT-3.1.2-23
  Scenario: a DISCONNECT that lengthens the Session Expiry Interval keeps the session past the original one
    Given client "A" connected with session expiry 1
    And "A" subscribed to "se/longer" with qos 1
    When "A" sends DISCONNECT reason code 0 session expiry interval 60
    And 1.8 s pass
    And "A" connects with clean start false and session expiry 60
    Then "A" receives CONNACK reason code 0 session present true within 2 s

  @MQTT-4.13.1-1
  Scenario: a DISCONNECT setting a non-zero Session Expiry Interval after CONNECT gave 0 does not keep the session
    Given client "A" connected with session expiry 0
    And "A" subscribed to "se/bad" with qos 1
    When "A" sends DISCONNECT reason code 0 session expiry interval 60
    Then the connection of "A" is closed within 2 s, with reason code 0x82 if the broker sends one
    When "A" connects with clean start false and session expiry 60
    Then "A" receives CONNACK reason code 0 session present false within 2 s

  @MQTT-3.14.2-2
  Scenario: the DISCONNECT sent to a client that is taken over carries no Session Expiry Interval
    Given client "A" connected with session expiry 60
    When "A2" connects using the client identifier of "A", with clean start false and session expiry 60
    Then the connection of "A" is closed within 2 s, with reason code 0x8E if the broker sends one
    And no DISCONNECT "A" received had a session expiry interval

  @MQTT-3.14.2-2
  Scenario: the DISCONNECT sent for a protocol error carries no Session Expiry Interval
    Given client "A" connected with session expiry 60
    When "A" sends PUBLISH topic "" payload "x" topic alias 7
    Then the connection of "A" is closed within 2 s
    And no DISCONNECT "A" received had a session expiry interval

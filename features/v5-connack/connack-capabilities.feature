@v5 @connack
Feature: CONNACK properties and the limits they announce
  CONNACK tells the client what the server does not support (Maximum QoS, Retain Available,
  Wildcard / Shared Subscription Available) and what it decided for the client (Assigned Client
  Identifier, Server Keep Alive). The server honours what it announced: it accepts everything up
  to the announced limits and refuses what lies beyond them with the matching reason code.

  @MQTT-3.2.2-16 @MQTT-3.1.3-6
  Scenario: two clients connecting with empty client identifiers are assigned different ones
    Given client "A" opened a network connection
    And client "B" opened a network connection
    When "A" connects with client id ""
    And "B" connects with client id ""
    Then "A" receives CONNACK within 2 s
    And "B" receives CONNACK within 2 s
    And the client identifiers assigned to "A" and "B" differ

  @MQTT-3.1.3-7
  Scenario: the session created under an assigned client identifier can be resumed with it
    Given client "A" opened a network connection
    When "A" connects with client id "" and session expiry 60
    Then "A" receives CONNACK within 2 s
    When "A2" connects using the client identifier assigned to "A", with clean start false and session expiry 60
    Then "A2" receives CONNACK reason code 0 session present true within 2 s

  # Brokers check keep alive on coarse timers (up to 5.4 s for a 1 s Keep Alive measured): the
  # close is awaited for 6 s, and a failure is re-checked at three times the time scale (@timing).
  @MQTT-3.2.2-22 @timing
  Scenario: without a Server Keep Alive the broker enforces the client's own Keep Alive
    Given client "A" opened a network connection
    When "A" connects with keep alive 1
    Then "A" receives CONNACK reason code 0 within 2 s
    Given the CONNACK "A" received has no server keep alive
    Then the connection of "A" stays open for 900 ms
    And the connection of "A" is closed within 6 s, with reason code 0x8D if the broker sends one

  @MQTT-3.2.2-9
  Scenario: a PUBLISH at the Maximum QoS the broker announced (2 when absent) is accepted
    Given client "A" connected
    When "A" publishes "top" to "ca/maxq" at the broker's maximum QoS
    Then the connection of "A" stays open for 200 ms

  @MQTT-3.2.2-10
  Scenario: SUBSCRIBE requests for QoS 0, 1 and 2 are all accepted, granted within the Maximum QoS
    Given client "A" connected
    When "A" sends SUBSCRIBE packet id 4 topic filter "ca/q0" qos 0 topic filter "ca/q1" qos 1 topic filter "ca/q2" qos 2
    Then "A" is granted QoS 0, 1 and 2 at most, within the broker's maximum QoS, for packet id 4 within 2 s

  @MQTT-4.13.1-1
  Scenario: a PUBLISH above the announced Maximum QoS ends the connection with reason code 0x9B
    Given the broker's CONNACK declares a maximum QoS below 2
    And client "A" connected
    When "A" sends PUBLISH topic "ca/over" qos 2 packet id 1 payload "q2"
    Then the connection of "A" is closed within 2 s, with reason code 0x9B if the broker sends one

  @MQTT-3.2.2-12
  Scenario: a Will QoS above the announced Maximum QoS is refused
    Given the broker's CONNACK declares a maximum QoS below 2
    And client "A" opened a network connection
    When "A" connects with will topic "ca/will" will payload "w" will qos 2
    Then the connection of "A" is closed within 2 s, with reason code 0x9B if the broker sends one
    And "A" receives nothing like CONNACK reason code 0 for 100 ms

  @MQTT-4.13.1-1
  Scenario: a retained PUBLISH to a broker without retain support ends the connection with reason code 0x9A
    Given the broker's CONNACK declares retain available 0
    And client "A" connected
    When "A" sends PUBLISH topic "ca/ret" payload "r" retain true
    Then the connection of "A" is closed within 2 s, with reason code 0x9A if the broker sends one

  @MQTT-3.2.2-13
  Scenario: a Will with Will Retain to a broker without retain support is refused
    Given the broker's CONNACK declares retain available 0
    And client "A" opened a network connection
    When "A" connects with will topic "ca/will" will payload "w" will retain true
    Then the connection of "A" is closed within 2 s, with reason code 0x9A if the broker sends one
    And "A" receives nothing like CONNACK reason code 0 for 100 ms

  @MQTT-3.9.3-2
  Scenario: a wildcard subscription to a broker without wildcard support is refused with 0xA2
    Given the broker's CONNACK declares wildcard subscription available 0
    And client "A" connected
    When "A" sends SUBSCRIBE packet id 1 topic filter "ca/#" qos 0
    # SUBACK 0xA2, or the close (a DISCONNECT before it, which the server SHOULD send, says 0xA2).
    Then "A" is refused the subscription with packet id 1 with reason code 0xA2 within 2 s

  @MQTT-3.9.3-2
  Scenario: a shared subscription to a broker without shared subscription support is refused with 0x9E
    Given the broker's CONNACK declares shared subscription available 0
    And client "A" connected
    When "A" sends SUBSCRIBE packet id 1 topic filter "$share/g/ca/s" qos 0
    # SUBACK 0x9E, or the close (a DISCONNECT before it, which the server SHOULD send, says 0x9E).
    Then "A" is refused the subscription with packet id 1 with reason code 0x9E within 2 s

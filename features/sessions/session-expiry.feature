@sessions @v5
Feature: MQTT 5.0 Session Expiry Interval
  In MQTT 5.0 a session outlives its connection only while the Session Expiry Interval runs:
  0 (the default) ends it with the connection; the client may change the interval on
  DISCONNECT, except from 0 to a non-zero value, which is a protocol error.

  @MQTT-4.1.0-2 @MQTT-3.2.2-3
  Scenario: with the default Session Expiry Interval 0 the session ends with the connection
    Given client "sub" connected with clean start false
    And "sub" subscribed to "exp/zero" with qos 1
    When "sub" disconnects
    And client "pub" connected
    And "pub" publishes "lost" to "exp/zero" with qos 1
    And "sub" connects with clean start false
    Then "sub" receives CONNACK reason code 0 session present false within 2 s
    And "sub" receives no message on "exp/zero" for 500 ms

  # A broker timer decides it (@timing: a failure is re-checked at three times the time scale);
  # brokers check expiry on whole-second ticks, so the wait leaves a second or more to spare.
  @MQTT-4.1.0-2 @MQTT-3.1.2-23 @timing
  Scenario: a session is discarded once its Session Expiry Interval has passed
    Given client "sub" connected with clean start false and session expiry 1
    And "sub" subscribed to "exp/one" with qos 1
    When "sub" disconnects
    And 3 s pass
    And client "pub" connected
    And "pub" publishes "too late" to "exp/one" with qos 1
    And "sub" connects with clean start false and session expiry 1
    Then "sub" receives CONNACK reason code 0 session present false within 2 s
    And "sub" receives no message on "exp/one" for 500 ms

  @MQTT-3.1.2-23 @MQTT-3.2.2-3
  Scenario: a session is kept while its Session Expiry Interval has not passed
    Given client "sub" connected with clean start false and session expiry 30
    And "sub" subscribed to "exp/kept" with qos 1
    When "sub" drops the connection
    And 300 ms pass
    And "sub" connects with clean start false and session expiry 30
    Then "sub" receives CONNACK reason code 0 session present true within 2 s

  @MQTT-4.1.0-2
  Scenario: DISCONNECT with Session Expiry Interval 0 ends a session that would have been kept
    Given client "sub" connected with clean start false and session expiry 30
    And "sub" subscribed to "exp/ended" with qos 1
    When "sub" sends DISCONNECT reason code 0 session expiry 0
    # The server only SHOULD close after a DISCONNECT (3.14.4); the client closes, as 3.14.4-2 asks of it.
    And "sub" closes the connection
    When "sub" connects with clean start false and session expiry 30
    Then "sub" receives CONNACK reason code 0 session present false within 2 s

  @MQTT-3.1.2-23 @MQTT-3.2.2-3
  Scenario: DISCONNECT with a longer Session Expiry Interval keeps the session longer
    Given client "sub" connected with clean start false and session expiry 1
    And "sub" subscribed to "exp/longer" with qos 1
    When "sub" sends DISCONNECT reason code 0 session expiry 30
    # The server only SHOULD close after a DISCONNECT (3.14.4); the client closes, as 3.14.4-2 asks of it.
    And "sub" closes the connection
    When 1600 ms pass
    And client "pub" connected
    And "pub" publishes "kept for you" to "exp/longer" with qos 1
    And "sub" connects with clean start false and session expiry 30
    Then "sub" receives CONNACK reason code 0 session present true within 2 s
    And "sub" receives message "kept for you" on "exp/longer" with qos 1 within 2 s

  @MQTT-3.1.2-8 @MQTT-3.14.2-1 @MQTT-4.13.1-1
  Scenario: a non-zero Session Expiry Interval on DISCONNECT after 0 on CONNECT is a protocol error, so the Will goes out
    Given client "mon" connected
    And "mon" subscribed to "exp/bad" with qos 1
    And client "A" connected with will topic "exp/bad" and will payload "not a valid DISCONNECT"
    When "A" sends DISCONNECT reason code 0 session expiry 30
    # checks MQTT-4.13.1-1
    # checks if sent MQTT-3.14.2-1
    Then the connection of "A" is closed within 2 s, with reason code 0x82 if the broker sends one
    # checks MQTT-3.1.2-8
    And "mon" receives message "not a valid DISCONNECT" on "exp/bad" within 2 s

  @MQTT-4.1.0-1 @MQTT-3.1.2-5
  Scenario: a session with a short expiry is not discarded while its connection is open
    Given client "sub" connected with clean start false and session expiry 1
    And "sub" subscribed to "exp/open" with qos 1
    When 1500 ms pass
    And "sub" drops the connection
    And 50 ms pass
    And "sub" connects with clean start false and session expiry 1
    Then "sub" receives CONNACK reason code 0 session present true within 2 s

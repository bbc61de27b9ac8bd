@will @v5
Feature: MQTT 5.0 Will: DISCONNECT reason codes, Will Delay Interval, Will Properties
  In MQTT 5.0 the client chooses on DISCONNECT whether the Will goes out (reason 0x04) or
  not (0x00). A Will Delay Interval postpones the Will; a new connection for the same session
  before it elapses cancels it, and the end of the session publishes it early.

  @MQTT-3.1.2-8 @MQTT-3.1.2-10
  Scenario: DISCONNECT with reason code 0x04 publishes the Will
    Given client "mon" connected
    And "mon" subscribed to "w5/with-will" with qos 1
    And client "A" connected with will topic "w5/with-will" and will payload "asked for"
    When "A" sends DISCONNECT reason code 0x04
    # The server only SHOULD close after a DISCONNECT (3.14.4); the client closes, as 3.14.4-2 asks of it.
    And "A" closes the connection
    Then "mon" receives message "asked for" on "w5/with-will" within 2 s

  @MQTT-3.14.4-3 @MQTT-3.1.2-10
  Scenario: DISCONNECT with reason code 0x00 written out explicitly discards the Will
    Given client "mon" connected
    And "mon" subscribed to "w5/normal" with qos 1
    And client "A" connected with will topic "w5/normal" and will payload "must not appear"
    When "A" sends DISCONNECT reason code 0
    # The server only SHOULD close after a DISCONNECT (3.14.4); the client closes, as 3.14.4-2 asks of it.
    And "A" closes the connection
    Then "mon" receives no message on "w5/normal" for 500 ms

  # A broker timer decides it (@timing: a failure is re-checked at three times the time scale);
  # brokers check expiry on whole-second ticks, so the wait leaves a second or more to spare.
  @MQTT-3.1.2-8 @MQTT-3.1.2-23 @timing
  Scenario: a Will Delay Interval holds the Will back until it elapses
    Given client "mon" connected
    And "mon" subscribed to "w5/delay" with qos 1
    And client "A" connected with session expiry 30 and will topic "w5/delay" and will payload "late" and will delay interval 1
    When "A" drops the connection
    Then "mon" receives no message on "w5/delay" for 600 ms
    And "mon" receives message "late" on "w5/delay" within 4 s

  @MQTT-3.1.3-9 @MQTT-3.1.2-8
  Scenario: reconnecting before the Will Delay Interval elapses cancels the Will
    Given client "mon" connected
    And "mon" subscribed to "w5/cancel" with qos 1
    And client "A" connected with clean start false and session expiry 30 and will topic "w5/cancel" and will payload "cancelled" and will delay interval 1
    When "A" drops the connection
    # the drop completes asynchronously; give the socket a moment to close before reconnecting
    And 50 ms pass
    And "A" connects with clean start false and session expiry 30
    Then "A" receives CONNACK reason code 0 session present true within 2 s
    And "mon" receives no message on "w5/cancel" for 1500 ms

  # A broker timer decides it (@timing: a failure is re-checked at three times the time scale);
  # brokers check expiry on whole-second ticks, so the wait leaves a second or more to spare.
  @MQTT-3.1.2-8 @MQTT-4.1.0-2 @timing
  Scenario: the Will is published when the session ends, even before a longer Will Delay Interval
    Given client "mon" connected
    And "mon" subscribed to "w5/session-end" with qos 1
    And client "A" connected with session expiry 1 and will topic "w5/session-end" and will payload "session over" and will delay interval 60
    When "A" drops the connection
    Then "mon" receives message "session over" on "w5/session-end" within 5 s

  # The session ends with the connection: a broker timer (whole-second ticks) may publish the
  # Will a little later (@timing).
  @MQTT-3.1.2-8 @timing
  Scenario: with session expiry 0 and a Will Delay Interval the Will goes out when the connection ends
    Given client "mon" connected
    And "mon" subscribed to "w5/no-session" with qos 1
    And client "A" connected with will topic "w5/no-session" and will payload "now" and will delay interval 60
    When "A" drops the connection
    Then "mon" receives message "now" on "w5/no-session" within 4 s

  @MQTT-3.1.3-10 @MQTT-3.1.2-8
  Scenario: Will Properties reach the subscriber, User Properties in their order
    Given client "mon" connected
    And "mon" subscribed to "w5/props" with qos 1
    And client "A" connected with will topic "w5/props" and will payload "{}" and will properties {"contentType": "application/json", "payloadFormatIndicator": 1, "userProperties": [["z", "1"], ["a", "2"], ["z", "3"]]}
    When "A" drops the connection
    Then "mon" receives PUBLISH topic "w5/props" payload "{}" content type "application/json" payload format indicator 1 user properties [["z", "1"], ["a", "2"], ["z", "3"]] within 2 s

  @MQTT-3.1.2-8 @MQTT-3.1.4-3
  Scenario: a session taken over with Clean Start 1 publishes the old connection's Will
    Given client "mon" connected
    And "mon" subscribed to "w5/takeover" with qos 1
    And client "A" connected with client id "same" and will topic "w5/takeover" and will payload "taken over"
    When client "B" connected with client id "same"
    Then the connection of "A" is closed within 2 s, with reason code 0x8E if the broker sends one
    And "mon" receives message "taken over" on "w5/takeover" within 2 s

@v5 @properties
Feature: Application message properties are forwarded unaltered
  The Payload Format Indicator, Content Type, Response Topic, Correlation Data and every User
  Property of a PUBLISH reach each subscriber exactly as the publisher sent them, User Properties
  in their original order (repeated names included), whatever the QoS and whether the message is
  delivered live, from a session queue, or as a retained message.

  @MQTT-3.3.2-4
  Scenario Outline: the Payload Format Indicator is forwarded unchanged
    Given client "sub" connected
    And "sub" subscribed to "pr/pfi"
    And client "pub" connected
    When "pub" sends PUBLISH topic "pr/pfi" payload "text" payload format indicator <pfi>
    Then "sub" receives PUBLISH topic "pr/pfi" payload "text" payload format indicator <pfi> within 2 s

    Examples:
      | pfi |
      | 0   |
      | 1   |

  @MQTT-3.3.2-20
  Scenario: the Content Type is forwarded unchanged
    Given client "sub" connected
    And "sub" subscribed to "pr/ct"
    And client "pub" connected
    When "pub" sends PUBLISH topic "pr/ct" payload "{}" content type "application/json; charset=utf-8"
    Then "sub" receives PUBLISH topic "pr/ct" payload "{}" content type "application/json; charset=utf-8" within 2 s

  @MQTT-3.3.2-15
  Scenario: the Response Topic is forwarded unchanged
    Given client "sub" connected
    And "sub" subscribed to "pr/rt"
    And client "pub" connected
    When "pub" sends PUBLISH topic "pr/rt" payload "ask" response topic "pr/replies/42"
    Then "sub" receives PUBLISH topic "pr/rt" payload "ask" response topic "pr/replies/42" within 2 s

  @MQTT-3.3.2-16
  Scenario: binary Correlation Data is forwarded byte for byte
    Given client "sub" connected
    And "sub" subscribed to "pr/cd"
    And client "pub" connected
    When "pub" sends PUBLISH topic "pr/cd" payload "ask" correlation data hex "00 ff 10 80 7f 00"
    Then "sub" receives PUBLISH topic "pr/cd" payload "ask" correlation data hex "00 ff 10 80 7f 00" within 2 s

  @MQTT-3.3.2-17 @MQTT-3.3.2-18
  Scenario: User Properties are forwarded unchanged and in order, repeated names included
    Given client "sub" connected
    And "sub" subscribed to "pr/up"
    And client "pub" connected
    When "pub" sends PUBLISH topic "pr/up" payload "u" user properties [["z", "1"], ["a", "2"], ["z", "3"], ["m", ""], ["", "empty name"]]
    Then "sub" receives PUBLISH topic "pr/up" payload "u" user properties [["z", "1"], ["a", "2"], ["z", "3"], ["m", ""], ["", "empty name"]] within 2 s

  @MQTT-3.3.2-17 @MQTT-3.3.2-18
  Scenario: many User Properties with non-ASCII text keep their order
    Given client "sub" connected
    And "sub" subscribed to "pr/many"
    And client "pub" connected
    When "pub" sends PUBLISH topic "pr/many" payload "m" user properties [["k9", "é"], ["k1", "ü"], ["k5", "日本"], ["k1", "again"], ["k0", "0"], ["k7", "7"], ["k3", "3"], ["k1", "last"]]
    Then "sub" receives PUBLISH topic "pr/many" payload "m" user properties [["k9", "é"], ["k1", "ü"], ["k5", "日本"], ["k1", "again"], ["k0", "0"], ["k7", "7"], ["k3", "3"], ["k1", "last"]] within 2 s

  Scenario Outline: all application properties together survive delivery at QoS <qos>
    Given client "sub" connected
    And "sub" subscribed to "pr/all" with qos <qos>
    And client "pub" connected
    When "pub" sends PUBLISH topic "pr/all" qos <qos> packet id 3 payload "all" payload format indicator 1 content type "text/plain" response topic "pr/back" correlation data "c-1" user properties [["b", "1"], ["a", "2"]]
    And "pub" sends <release>
    Then "sub" receives PUBLISH topic "pr/all" qos <qos> payload "all" payload format indicator 1 content type "text/plain" response topic "pr/back" correlation data "c-1" user properties [["b", "1"], ["a", "2"]] within 2 s

    @MQTT-3.3.2-4 @MQTT-3.3.2-15 @MQTT-3.3.2-16 @MQTT-3.3.2-17 @MQTT-3.3.2-18 @MQTT-3.3.2-20
    Examples:
      | qos | release |
      | 0   | PINGREQ |
      | 1   | PINGREQ |

    @MQTT-3.3.2-4 @MQTT-3.3.2-15 @MQTT-3.3.2-16 @MQTT-3.3.2-17 @MQTT-3.3.2-18 @MQTT-3.3.2-20 @requires:qos2
    Examples:
      | qos | release            |
      | 2   | PUBREL packet id 3 |

  @MQTT-3.3.2-4 @MQTT-3.3.2-15 @MQTT-3.3.2-16 @MQTT-3.3.2-17 @MQTT-3.3.2-18 @MQTT-3.3.2-20 @requires:retain
  Scenario: a retained message keeps its properties when sent to a later subscriber
    Given client "pub" connected
    When "pub" sends PUBLISH topic "pr/ret" qos 1 packet id 4 payload "kept" retain true payload format indicator 1 content type "text/plain" response topic "pr/back" correlation data "c-2" user properties [["x", "1"], ["w", "2"]]
    Then "pub" receives PUBACK packet id 4 within 2 s
    Given client "sub" connected
    And "sub" subscribed to "pr/ret" with qos 1
    Then "sub" receives PUBLISH topic "pr/ret" retain true payload "kept" payload format indicator 1 content type "text/plain" response topic "pr/back" correlation data "c-2" user properties [["x", "1"], ["w", "2"]] within 2 s

  @MQTT-3.3.2-4 @MQTT-3.3.2-15 @MQTT-3.3.2-16 @MQTT-3.3.2-17 @MQTT-3.3.2-18 @MQTT-3.3.2-20
  Scenario: a message queued for an offline session keeps its properties
    Given client "sub" connected with session expiry 60
    And "sub" subscribed to "pr/queued" with qos 1
    And "sub" disconnects
    And client "pub" connected
    When "pub" sends PUBLISH topic "pr/queued" qos 1 packet id 5 payload "later" payload format indicator 0 content type "a/b" response topic "pr/r" correlation data "c-3" user properties [["q", "1"], ["p", "2"]]
    Then "pub" receives PUBACK packet id 5 within 2 s
    When "sub" connects with clean start false and session expiry 60
    Then "sub" receives PUBLISH topic "pr/queued" payload "later" payload format indicator 0 content type "a/b" response topic "pr/r" correlation data "c-3" user properties [["q", "1"], ["p", "2"]] within 2 s

  @MQTT-3.3.2-17 @MQTT-3.3.2-18
  Scenario: every subscriber receives the same User Properties, whatever its subscription QoS
    Given client "s1" connected
    And "s1" subscribed to "pr/fan"
    And client "s2" connected
    And "s2" subscribed to "pr/fan" with qos 1
    And client "pub" connected
    When "pub" sends PUBLISH topic "pr/fan" payload "f" user properties [["one", "1"], ["two", "2"]]
    Then "s1" receives PUBLISH topic "pr/fan" payload "f" user properties [["one", "1"], ["two", "2"]] within 2 s
    And "s2" receives PUBLISH topic "pr/fan" payload "f" user properties [["one", "1"], ["two", "2"]] within 2 s

  @MQTT-3.3.2-14 @MQTT-4.13.1-1
  Scenario: a Response Topic with a wildcard is refused and never forwarded
    Given client "sub" connected
    And "sub" subscribed to "pr/wild"
    And client "pub" connected
    When "pub" sends PUBLISH topic "pr/wild" payload "w" response topic "pr/replies/#"
    # 3.3.2-14 binds the sender (the harness breaks it here): the receiver's duty is to close (4.13.1-1).
    # checks MQTT-4.13.1-1
    Then the connection of "pub" is closed within 2 s, with a failure reason code if the broker sends one
    # A forwarded copy would have the broker send the wildcard Response Topic itself.
    # checks MQTT-4.13.1-1, MQTT-3.3.2-14
    And "sub" receives no message for 300 ms

  @MQTT-3.3.2-13 @MQTT-4.13.1-1
  Scenario: a Response Topic that is not valid UTF-8 is refused and never forwarded
    Given topics are not prefixed
    And client "sub" connected
    And "sub" subscribed to "v5h/rt"
    And client "pub" connected
    # PUBLISH QoS 0, topic "v5h/rt", properties: Response Topic (0x08) of 2 bytes C0 AF (an overlong encoding)
    When "pub" sends raw "30 0e 00 06 76 35 68 2f 72 74 05 08 00 02 c0 af"
    # checks MQTT-4.13.1-1
    Then the connection of "pub" is closed within 2 s, with reason code 0x81 if the broker sends one
    # checks MQTT-4.13.1-1, MQTT-3.3.2-13
    And "sub" receives no message on "v5h/rt" for 300 ms

  @MQTT-3.3.2-19 @MQTT-4.13.1-1
  Scenario: a Content Type that is not valid UTF-8 is refused and never forwarded
    Given topics are not prefixed
    And client "sub" connected
    And "sub" subscribed to "v5h/ct"
    And client "pub" connected
    # PUBLISH QoS 0, topic "v5h/ct", properties: Content Type (0x03) of 2 bytes ED A0 80 (a surrogate)
    When "pub" sends raw "30 0f 00 06 76 35 68 2f 63 74 06 03 00 03 ed a0 80"
    # checks MQTT-4.13.1-1
    Then the connection of "pub" is closed within 2 s, with reason code 0x81 if the broker sends one
    # checks MQTT-4.13.1-1, MQTT-3.3.2-19
    And "sub" receives no message on "v5h/ct" for 300 ms

@vbi
Feature: Variable Byte Integers and Property Length
  Remaining Length, Property Length and some property values are Variable Byte Integers: at
  most four bytes, and in MQTT 5 always in the fewest bytes that hold the value. Every MQTT 5
  packet that can carry properties has a Property Length, 0 when there are none. The test
  client decodes every packet from the broker strictly, so a padded encoding or a missing
  Property Length in what the broker sends fails the step in which it arrives.

  @requires:qos1
  Scenario Outline: a <size>-byte message is forwarded with a minimally encoded Remaining Length
    Given client "sub" connected
    And "sub" subscribed to "vbi/big" with qos 1
    And client "pub" connected
    When "pub" publishes <size> bytes to "vbi/big" with qos 1
    Then "sub" receives <size> bytes on "vbi/big" with qos 1 within 2 s

    # 200 bytes need a two-byte Remaining Length, 20000 bytes a three-byte one.
    @v5 @MQTT-1.5.5-1
    Examples: MQTT 5
      | size  |
      | 200   |
      | 20000 |

  @v5 @MQTT-1.5.5-1
  Scenario: User Properties longer than 127 bytes are forwarded with a minimally encoded Property Length
    Given client "sub" connected
    And "sub" subscribed to "vbi/props"
    And client "pub" connected
    When "pub" sends PUBLISH topic "vbi/props" payload "p" user properties [["k1", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"], ["k2", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"]]
    Then "sub" receives PUBLISH topic "vbi/props" payload "p" user properties [["k1", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"], ["k2", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"]] within 2 s

  @v5 @MQTT-1.5.5-1
  Scenario: a Subscription Identifier of 16384 (a three-byte value) comes back minimally encoded
    Given the broker supports subscriptionIdentifiers
    And client "sub" connected
    When "sub" sends SUBSCRIBE packet id 7 topic filter "vbi/sid" qos 0 subscription identifier 16384
    Then "sub" receives SUBACK packet id 7 reason codes [0] within 2 s
    Given client "pub" connected
    When "pub" sends PUBLISH topic "vbi/sid" payload "s"
    Then "sub" receives PUBLISH topic "vbi/sid" payload "s" subscription identifier 16384 within 2 s

  Scenario Outline: a Property Length that is <defect> makes the PUBLISH malformed
    Given topics are not prefixed
    And client "sub" connected
    And "sub" subscribed to "dr/vbi"
    And client "pub" connected
    When "pub" sends raw "<packet>"
    Then the connection of "pub" is closed within 2 s, with reason code 0x81 if the broker sends one
    And "sub" receives no message for 100 ms

    # PUBLISH QoS 0 topic "dr/vbi"
    @v5 @MQTT-4.13.1-1
    Examples: MQTT 5
      | defect                                 | packet                                            |
      | five bytes long                        | 30 0e 00 06 64 72 2f 76 62 69 ff ff ff ff 7f 78   |
      | longer than the rest of the packet     | 30 0a 00 06 64 72 2f 76 62 69 05 78               |
      | too short for the property it holds    | 30 0c 00 06 64 72 2f 76 62 69 03 02 00 00         |

  Scenario Outline: a <packet type> without its Property Length is malformed
    Given topics are not prefixed
    And client "sub" connected
    And "sub" subscribed to "dr/npl"
    And client "A" connected
    When "A" sends raw "<packet>"
    Then the connection of "A" is closed within 2 s, with reason code 0x81 if the broker sends one
    And "sub" receives no message for 100 ms

    # The bytes are those of the MQTT 3.1.1 packet: read as MQTT 5, the next byte is taken as the
    # Property Length and the rest no longer fits. (2.2.2-1 binds the sender, the harness here; the
    # broker's own Property Lengths are checked by the scenario below.)
    @v5 @MQTT-4.13.1-1
    Examples: MQTT 5
      | packet type | packet                                  |
      | PUBLISH     | 30 09 00 06 64 72 2f 6e 70 6c 78        |
      | SUBSCRIBE   | 82 06 00 01 00 01 61 00                 |
      | UNSUBSCRIBE | a2 05 00 01 00 01 61                    |

  @v5 @MQTT-2.2.2-1 @requires:qos1
  Scenario: packets the broker sends without properties still carry a Property Length of 0
    # Without the zero byte, the strict decoder would read the next field as the Property Length.
    Given client "sub" connected
    When "sub" sends SUBSCRIBE packet id 9 topic filter "vbi/none" qos 1
    Then "sub" receives SUBACK packet id 9 reason codes [1] within 2 s
    Given client "pub" connected
    When "pub" sends PUBLISH topic "vbi/none" qos 1 packet id 3 payload "x"
    Then "pub" receives PUBACK packet id 3 within 2 s
    And "sub" receives PUBLISH topic "vbi/none" qos 1 payload "x" within 2 s
    When "sub" sends UNSUBSCRIBE packet id 10 topic filter "vbi/none"
    Then "sub" receives UNSUBACK packet id 10 reason codes [0] within 2 s

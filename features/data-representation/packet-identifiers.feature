@packet-id
Feature: Packet Identifiers are never zero
  SUBSCRIBE, UNSUBSCRIBE and PUBLISH at QoS 1 or 2 carry a non-zero Packet Identifier. A server
  receiving one with identifier 0 has a protocol violation on its hands and closes the
  connection (MQTT 5: with a DISCONNECT 0x81 or 0x82 if it says why); the PUBLISH is not
  forwarded.

  Scenario Outline: a <packet type> with Packet Identifier 0 closes the connection
    Given topics are not prefixed
    And client "sub" connected
    And "sub" subscribed to "dr/pid0"
    And client "A" connected
    When "A" sends raw "<packet>"
    Then the connection of "A" is closed within 2 s, with reason code 0x81 or 0x82 if the broker sends one
    And "sub" receives no message for 100 ms

    # SUBSCRIBE / UNSUBSCRIBE filter "a"; PUBLISH topic "dr/pid0" payload "x".
    # MQTT-2.3.1-1 binds the sender (broken here on purpose): checked is the receiver's close.
    @v3.1.1 @MQTT-4.8.0-1
    Examples: MQTT 3.1.1
      | packet type   | packet                                         |
      | SUBSCRIBE     | 82 06 00 00 00 01 61 00                        |
      | UNSUBSCRIBE   | a2 05 00 00 00 01 61                           |
      | QoS 1 PUBLISH | 32 0c 00 07 64 72 2f 70 69 64 30 00 00 78      |
      | QoS 2 PUBLISH | 34 0c 00 07 64 72 2f 70 69 64 30 00 00 78      |

    @v5 @MQTT-4.13.1-1
    Examples: MQTT 5
      | packet type   | packet                                         |
      | SUBSCRIBE     | 82 07 00 00 00 00 01 61 00                     |
      | UNSUBSCRIBE   | a2 06 00 00 00 00 01 61                        |
      | QoS 1 PUBLISH | 32 0d 00 07 64 72 2f 70 69 64 30 00 00 00 78   |
      | QoS 2 PUBLISH | 34 0d 00 07 64 72 2f 70 69 64 30 00 00 00 78   |

@v5 @packet-size
Feature: Maximum Packet Size
  A client may tell the server the largest packet it accepts. The server never sends it anything
  larger: an application message that does not fit is dropped as if it had been delivered, and a
  Reason String or User Properties that would push an acknowledgement over the limit are left
  out while the acknowledgement itself is still sent. A packet larger than the server's own
  Maximum Packet Size ends the connection with reason code 0x95.

  @MQTT-3.1.2-24 @MQTT-3.1.2-25
  Scenario: a QoS 0 message too large for the subscriber is dropped and later messages still arrive
    Given client "sub" connected with maximum packet size 80
    And "sub" subscribed to "ps/q0"
    And client "pub" connected
    When "pub" publishes "small-1" to "ps/q0"
    And "pub" publishes "big-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" to "ps/q0"
    And "pub" publishes "small-2" to "ps/q0"
    Then "sub" receives message "small-1" on "ps/q0" within 2 s
    And "sub" receives message "small-2" on "ps/q0" within 2 s
    And after 200 ms "sub" has received exactly 2 PUBLISHes on this connection
    And no packet "sub" received was larger than 80 bytes

  # 3.1.2-25: the packet too large to send is discarded and counts as sent, so with a window of 1
  # the next message must still come (no Receive Maximum rule is at stake here).
  @MQTT-3.1.2-25
  Scenario: a QoS 1 message too large for the subscriber counts as delivered and does not hold its window slot
    Given client "sub" connected with maximum packet size 80 and receive maximum 1
    And "sub" subscribed to "ps/q1" with qos 1
    And client "pub" connected
    When "pub" publishes "big-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" to "ps/q1" with qos 1
    And "pub" publishes "fits" to "ps/q1" with qos 1
    Then "sub" receives PUBLISH topic "ps/q1" qos 1 payload "fits" within 2 s
    And no packet "sub" received was larger than 80 bytes

  @MQTT-3.1.2-25 @MQTT-3.1.2-24
  Scenario: a message dropped for its size is not sent later when the session resumes
    Given client "sub" connected with maximum packet size 80 and session expiry 60
    And "sub" subscribed to "ps/later" with qos 1
    And client "pub" connected
    When "pub" publishes "big-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" to "ps/later" with qos 1
    And 300 ms pass
    And "sub" disconnects
    And "sub" connects with clean start false and session expiry 60
    Then "sub" receives CONNACK reason code 0 session present true within 2 s
    And "sub" receives no message for 500 ms
    And no packet "sub" received was larger than 80 bytes

  @MQTT-3.1.2-24 @MQTT-3.1.2-25
  Scenario: a message queued while the subscriber was offline is dropped on reconnect if too large, smaller ones arrive
    Given client "sub" connected with maximum packet size 80 and session expiry 60
    And "sub" subscribed to "ps/queued" with qos 1
    And "sub" disconnects
    And client "pub" connected
    When "pub" publishes "big-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" to "ps/queued" with qos 1
    And "pub" publishes "queued-small" to "ps/queued" with qos 1
    And "sub" connects with clean start false and maximum packet size 80 and session expiry 60
    Then "sub" receives PUBLISH topic "ps/queued" qos 1 payload "queued-small" within 2 s
    And no packet "sub" received was larger than 80 bytes

  @MQTT-3.1.2-24 @requires:retain
  Scenario: a retained message too large for a new subscriber is not sent, but the SUBACK is
    Given client "pub" connected
    When "pub" publishes "big-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" to "ps/ret" with qos 1 retained
    And client "sub" connected with maximum packet size 80
    And "sub" sends SUBSCRIBE packet id 5 topic filter "ps/ret" qos 1
    Then "sub" receives SUBACK packet id 5 reason codes [1] within 2 s
    And "sub" receives no message for 500 ms
    And no packet "sub" received was larger than 80 bytes

  @MQTT-3.4.2-2 @MQTT-3.4.2-3 @MQTT-4.3.2-4
  Scenario: a PUBACK still goes out to a client with a small Maximum Packet Size, without what would not fit
    Given client "A" connected with maximum packet size 32
    # Payload Format Indicator 1 with a payload that is not UTF-8: a broker may refuse it with a reason string.
    When "A" sends PUBLISH topic "ps/ack1" qos 1 packet id 1 payload hex "ff fe fd" payload format indicator 1
    # checks MQTT-4.3.2-4
    Then the broker answers "A" with PUBACK packet id 1 within 2 s, or closes the connection and the scenario is not applicable
    # checks MQTT-3.4.2-2, MQTT-3.4.2-3
    And no packet "A" received was larger than 32 bytes

  @MQTT-3.5.2-2 @MQTT-3.5.2-3 @MQTT-4.3.3-8 @requires:qos2
  Scenario: a PUBREC still goes out to a client with a small Maximum Packet Size, without what would not fit
    Given client "A" connected with maximum packet size 32
    When "A" sends PUBLISH topic "ps/ack2" qos 2 packet id 2 payload hex "ff fe fd" payload format indicator 1
    # checks MQTT-4.3.3-8
    Then the broker answers "A" with PUBREC packet id 2 within 2 s, or closes the connection and the scenario is not applicable
    # checks MQTT-3.5.2-2, MQTT-3.5.2-3
    And no packet "A" received was larger than 32 bytes

  @MQTT-3.7.2-2 @MQTT-3.7.2-3 @MQTT-4.3.3-11
  Scenario: a PUBCOMP for an unknown packet identifier fits the client's Maximum Packet Size
    Given client "A" connected with maximum packet size 32
    When "A" sends PUBREL packet id 77
    Then "A" receives PUBCOMP packet id 77 within 2 s
    And no packet "A" received was larger than 32 bytes

  @MQTT-3.6.2-2 @MQTT-3.6.2-3 @MQTT-4.3.3-4 @requires:qos2
  Scenario: the broker's PUBREL fits the client's Maximum Packet Size
    Given client "sub" connected with maximum packet size 64
    And "sub" subscribed to "ps/rel" with qos 2
    And client "pub" connected
    When "pub" publishes "r" to "ps/rel" with qos 2
    Then "sub" receives PUBLISH topic "ps/rel" qos 2 payload "r" within 2 s
    When "sub" answers the PUBLISH "r" with PUBREC
    Then "sub" receives PUBREL within 2 s
    And no packet "sub" received was larger than 64 bytes

  @MQTT-3.9.2-1 @MQTT-3.9.2-2
  Scenario: a refused subscription is answered within the client's Maximum Packet Size
    Given client "A" connected with maximum packet size 32
    When "A" sends SUBSCRIBE packet id 9 topic filter "ps/#/bad" qos 0
    Then "A" is refused the subscription with packet id 9 within 2 s
    And no packet "A" received was larger than 32 bytes

  @MQTT-3.11.2-1 @MQTT-3.11.2-2 @MQTT-3.10.4-5
  Scenario: an UNSUBACK for a filter that was never subscribed fits the client's Maximum Packet Size
    Given client "A" connected with maximum packet size 32
    When "A" sends UNSUBSCRIBE packet id 10 topic filter "ps/never/subscribed/to/this/filter"
    Then "A" receives UNSUBACK packet id 10 within 2 s
    And no packet "A" received was larger than 32 bytes

  @MQTT-3.14.2-3 @MQTT-3.14.2-4
  Scenario: a DISCONNECT for a protocol error fits the client's Maximum Packet Size
    Given client "A" connected with maximum packet size 32
    When "A" sends PUBLISH topic "" payload "x" topic alias 9
    Then the connection of "A" is closed within 2 s, with a failure reason code if the broker sends one
    And no packet "A" received was larger than 32 bytes

  @MQTT-3.2.2-19 @MQTT-3.2.2-20
  Scenario: a refusing CONNACK fits the client's Maximum Packet Size
    Given client "A" opened a network connection
    When "A" connects with maximum packet size 16 and authentication method "x-unknown-method-for-conformance-tests"
    Then the connection of "A" is closed within 2 s, with a failure reason code if the broker sends one
    And no packet "A" received was larger than 16 bytes

  @MQTT-4.13.1-1
  Scenario: a packet larger than the broker's Maximum Packet Size ends the connection with reason code 0x95
    Given the broker's CONNACK declares a maximum packet size
    And client "sub" connected
    And "sub" subscribed to "ps/over"
    And client "A" connected
    When "A" sends a PUBLISH to "ps/over" one byte larger than the broker's Maximum Packet Size
    Then the connection of "A" is closed within 2 s, with reason code 0x95 if the broker sends one
    And "sub" receives no message for 300 ms

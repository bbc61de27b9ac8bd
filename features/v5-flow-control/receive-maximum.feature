@v5 @flow-control
Feature: Receive Maximum flow control
  The client's Receive Maximum caps how many QoS 1 and QoS 2 PUBLISH packets the server may have
  unacknowledged towards it; a PUBACK, a PUBCOMP, or a PUBREC with a failure code frees a slot.
  A full window holds back only PUBLISH packets: the server still answers everything else. The
  quota starts afresh on every connection. A client that exceeds the server's own Receive
  Maximum is disconnected with reason code 0x93.

  Scenario Outline: the broker never has more unacknowledged PUBLISHes in flight than the client's Receive Maximum
    Given client "sub" connected with receive maximum <window>
    And "sub" subscribed to "fc/w" with qos 1
    And client "pub" connected
    When "pub" publishes messages "m1" to "m5" to "fc/w" with qos 1
    # The initial quota is non-zero: the first message comes.
    # checks MQTT-4.9.0-1
    Then "sub" receives PUBLISH topic "fc/w" qos 1 payload "m1" within 2 s
    # A broker may keep fewer messages in flight than the window allows, never more.
    # checks MQTT-3.3.4-9, MQTT-4.9.0-2
    And after 500 ms "sub" has received at most <window> PUBLISHes on this connection
    When "sub" answers the PUBLISH "m1" with PUBACK
    # checks MQTT-3.3.4-9, MQTT-4.9.0-2
    Then after 500 ms "sub" has received at most <more> PUBLISHes on this connection

    @MQTT-3.3.4-9 @MQTT-4.9.0-1 @MQTT-4.9.0-2
    Examples:
      | window | more |
      | 1      | 2    |
      | 2      | 3    |
      | 3      | 4    |

  @MQTT-3.3.4-9 @MQTT-4.9.0-2
  Scenario: messages held back by a full window are all delivered, in order, as slots free up
    Given client "sub" connected with receive maximum 1
    And "sub" subscribed to "fc/all" with qos 1
    And client "pub" connected
    When "pub" publishes messages "n1" to "n3" to "fc/all" with qos 1
    Then "sub" receives PUBLISH topic "fc/all" qos 1 payload "n1" within 2 s
    When "sub" answers the PUBLISH "n1" with PUBACK
    Then "sub" next receives PUBLISH topic "fc/all" qos 1 payload "n2" within 2 s
    When "sub" answers the PUBLISH "n2" with PUBACK
    Then "sub" next receives PUBLISH topic "fc/all" qos 1 payload "n3" within 2 s
    And after 300 ms "sub" has received exactly 3 PUBLISHes on this connection

  @MQTT-3.3.4-9 @MQTT-4.9.0-2 @requires:qos2
  Scenario: a QoS 2 delivery holds its slot until PUBCOMP, not just until PUBREC
    Given client "sub" connected with receive maximum 1
    And "sub" subscribed to "fc/q2" with qos 2
    And client "pub" connected
    When "pub" publishes messages "q1" to "q2" to "fc/q2" with qos 2
    Then "sub" receives PUBLISH topic "fc/q2" qos 2 payload "q1" within 2 s
    When "sub" answers the PUBLISH "q1" with PUBREC
    Then "sub" receives PUBREL within 2 s
    And after 500 ms "sub" has received exactly 1 PUBLISH on this connection
    When "sub" answers the PUBLISH "q1" with PUBCOMP
    Then "sub" receives PUBLISH topic "fc/q2" qos 2 payload "q2" within 2 s

  @MQTT-3.3.4-9 @MQTT-4.4.0-2 @requires:qos2
  Scenario: a PUBREC with a failure code frees the slot and the message is not sent again
    Given client "sub" connected with receive maximum 1
    And "sub" subscribed to "fc/rej" with qos 2
    And client "pub" connected
    When "pub" publishes messages "r1" to "r2" to "fc/rej" with qos 2
    Then "sub" receives PUBLISH topic "fc/rej" qos 2 payload "r1" within 2 s
    When "sub" answers the PUBLISH "r1" with PUBREC reason code 0x80
    Then "sub" receives PUBLISH topic "fc/rej" qos 2 payload "r2" within 2 s
    And "sub" receives nothing like PUBLISH payload "r1" for 300 ms
    And "sub" receives nothing like PUBREL for 300 ms

  @MQTT-3.3.4-9 @MQTT-4.4.0-2
  Scenario: a PUBACK with a failure code frees the slot and the message is not sent again
    Given client "sub" connected with receive maximum 1
    And "sub" subscribed to "fc/nak" with qos 1
    And client "pub" connected
    When "pub" publishes messages "k1" to "k2" to "fc/nak" with qos 1
    Then "sub" receives PUBLISH topic "fc/nak" qos 1 payload "k1" within 2 s
    When "sub" answers the PUBLISH "k1" with PUBACK reason code 0x80
    Then "sub" receives PUBLISH topic "fc/nak" qos 1 payload "k2" within 2 s
    And "sub" receives nothing like PUBLISH payload "k1" for 300 ms

  @MQTT-3.3.4-10 @MQTT-4.9.0-3
  Scenario: a full window does not hold back PINGRESP, SUBACK, UNSUBACK or PUBACK
    Given client "sub" connected with receive maximum 1
    And "sub" subscribed to "fc/full" with qos 1
    And client "pub" connected
    When "pub" publishes messages "f1" to "f2" to "fc/full" with qos 1
    Then "sub" receives PUBLISH topic "fc/full" qos 1 payload "f1" within 2 s
    When "sub" sends PINGREQ
    Then "sub" receives PINGRESP within 2 s
    When "sub" sends SUBSCRIBE packet id 21 topic filter "fc/other" qos 1
    Then "sub" receives SUBACK packet id 21 reason codes [1] within 2 s
    When "sub" sends UNSUBSCRIBE packet id 22 topic filter "fc/other"
    Then "sub" receives UNSUBACK packet id 22 within 2 s
    When "sub" sends PUBLISH topic "fc/elsewhere" qos 1 packet id 23 payload "up"
    Then "sub" receives one of these within 2 s:
      | PUBACK packet id 23 reason code 0    |
      | PUBACK packet id 23 reason code 0x10 |
    And after 200 ms "sub" has received exactly 1 PUBLISH on this connection

  @MQTT-3.3.4-9 @MQTT-4.9.0-1 @MQTT-4.4.0-1
  Scenario: the window starts afresh on a new connection, with the unacknowledged message resent first
    Given client "sub" connected with receive maximum 1 and session expiry 60
    And "sub" subscribed to "fc/again" with qos 1
    And client "pub" connected
    When "pub" publishes messages "g1" to "g3" to "fc/again" with qos 1
    Then "sub" receives PUBLISH topic "fc/again" qos 1 payload "g1" within 2 s
    When "sub" disconnects
    And "sub" connects with clean start false and receive maximum 1 and session expiry 60
    Then "sub" receives PUBLISH topic "fc/again" qos 1 dup true payload "g1" within 2 s
    And after 500 ms "sub" has received exactly 1 PUBLISH on this connection
    When "sub" answers the PUBLISH "g1" with PUBACK
    Then "sub" receives PUBLISH topic "fc/again" qos 1 payload "g2" within 2 s

  @MQTT-3.3.4-9
  Scenario: each subscriber has its own window
    Given client "slow" connected with receive maximum 1
    And "slow" subscribed to "fc/each" with qos 1
    And client "fast" connected with receive maximum 10
    And "fast" subscribed to "fc/each" with qos 1
    And client "pub" connected
    When "pub" publishes messages "e1" to "e3" to "fc/each" with qos 1
    # "fast" acknowledges each: a broker may keep fewer in flight than the client allows.
    # precondition
    Then "fast" receives PUBLISH topic "fc/each" qos 1 payload "e1" within 2 s
    When "fast" acknowledges the last PUBLISH
    # precondition
    Then "fast" receives PUBLISH topic "fc/each" qos 1 payload "e2" within 2 s
    When "fast" acknowledges the last PUBLISH
    # precondition
    Then "fast" receives PUBLISH topic "fc/each" qos 1 payload "e3" within 2 s
    And after 300 ms "slow" has received at most 1 PUBLISH on this connection

  @MQTT-3.1.4-1
  Scenario: a Receive Maximum of 0 in CONNECT is a protocol error
    Given client "A" opened a network connection
    When "A" connects with receive maximum 0
    Then the connection of "A" is closed within 2 s, with a failure reason code if the broker sends one
    And "A" receives nothing like CONNACK reason code 0 for 100 ms

  @MQTT-4.13.1-1
  Scenario: a client exceeding the broker's Receive Maximum is disconnected with reason code 0x93
    Given the broker's CONNACK declares a receive maximum below 65535
    And client "A" connected
    When "A" sends one QoS 2 PUBLISH to "fc/flood" more than the broker's Receive Maximum, without PUBREL
    Then the connection of "A" is closed within 2 s, with reason code 0x93 if the broker sends one

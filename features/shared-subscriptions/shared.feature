@shared-subscriptions @v5
Feature: Shared subscriptions (MQTT 5)
  A filter `$share/<name>/<filter>` makes a shared subscription: each matching message goes
  to one member session only, at the QoS granted to that member, and no retained messages
  are sent when a member subscribes. The share name is at least one character without `/`,
  `+` or `#` and is followed by `/` and a topic filter. No Local on a shared subscription is
  a protocol error. A message in flight to a member belongs to that member's session.

  @MQTT-4.8.2-3
  Scenario: each message of a shared subscription goes to exactly one member, at its granted QoS
    Given the broker supports sharedSubscriptions
    And the broker supports qos2
    And client "m1" connected
    And "m1" sends SUBSCRIBE packet id 91 topic filter "$share/g1/sd/t" qos 1
    And "m1" receives SUBACK packet id 91 reason codes [1] within 2 s
    And client "m2" connected
    And "m2" sends SUBSCRIBE packet id 92 topic filter "$share/g1/sd/t" qos 1
    And "m2" receives SUBACK packet id 92 reason codes [1] within 2 s
    And client "pub" connected
    When "pub" publishes "one" to "sd/t" with qos 2
    Then exactly one of "m1" and "m2" receives message "one" on "sd/t" with qos 1 within 2 s
    When "pub" publishes "two" to "sd/t" with qos 2
    Then exactly one of "m1" and "m2" receives message "two" on "sd/t" with qos 1 within 2 s

  @MQTT-4.8.2-3
  Scenario: a member granted QoS 1 gets a QoS 2 message at QoS 1
    Given the broker supports sharedSubscriptions
    And the broker supports qos2
    And client "m1" connected
    When "m1" sends SUBSCRIBE packet id 81 topic filter "$share/gq/sq/t" qos 1
    Then "m1" receives SUBACK packet id 81 reason codes [1] within 2 s
    Given client "pub" connected
    When "pub" publishes "down" to "sq/t" with qos 2
    Then "m1" receives message "down" on "sq/t" with qos 1 within 2 s

  # That no retained message is sent to a new member (4.8.2 and 3.8.4 text) is prose without a
  # MUST and has no statement id of its own: an advisory scenario, filed under the rule closest
  # to it (4.8.2-3), so that a broker that sends one gets a finding, never a failure.
  @MQTT-4.8.2-3 @advisory
  Scenario: a new member of a shared subscription gets no retained message
    Given the broker supports sharedSubscriptions
    And the broker supports retain
    And client "pub" connected
    And "pub" published "stored" to "sr/t" with qos 1 retained
    And client "m1" connected
    When "m1" sends SUBSCRIBE packet id 82 topic filter "$share/gr/sr/t" qos 0
    Then "m1" receives SUBACK packet id 82 reason codes [0] within 2 s
    And "m1" receives nothing like PUBLISH for 200 ms

  @MQTT-4.8.2-3
  Scenario: a shared subscription member gets later messages at its granted QoS
    Given the broker supports sharedSubscriptions
    And client "pub" connected
    And client "m1" connected
    When "m1" sends SUBSCRIBE packet id 82 topic filter "$share/gr/sr/t" qos 0
    # precondition
    Then "m1" receives SUBACK packet id 82 reason codes [0] within 2 s
    When "pub" publishes "after" to "sr/t" with qos 1
    Then "m1" receives message "after" on "sr/t" with qos 0 within 2 s

  @MQTT-4.5.0-1 @MQTT-4.8.2-1
  Scenario: every share group and every non-shared subscription gets its own copy
    Given the broker supports sharedSubscriptions
    And client "a1" connected
    And "a1" sends SUBSCRIBE packet id 93 topic filter "$share/ga/sc/t" qos 1
    And "a1" receives SUBACK packet id 93 reason codes [1] within 2 s
    And client "a2" connected
    And "a2" sends SUBSCRIBE packet id 94 topic filter "$share/ga/sc/t" qos 1
    And "a2" receives SUBACK packet id 94 reason codes [1] within 2 s
    And client "b1" connected
    And "b1" sends SUBSCRIBE packet id 95 topic filter "$share/gb/sc/t" qos 1
    And "b1" receives SUBACK packet id 95 reason codes [1] within 2 s
    And client "plain" connected
    And "plain" subscribed to "sc/t" with qos 1
    And client "pub" connected
    When "pub" publishes "fan" to "sc/t" with qos 1
    Then exactly one of "a1" and "a2" receives message "fan" on "sc/t" within 2 s
    And "b1" receives message "fan" on "sc/t" with qos 1 within 2 s
    And "plain" receives message "fan" on "sc/t" with qos 1 within 2 s

  @MQTT-4.8.2-1 @MQTT-4.8.2-2
  Scenario: a shared subscription matches by its filter only, including wildcards
    Given the broker supports sharedSubscriptions
    And the broker supports wildcardSubscriptions
    And client "m1" connected
    And "m1" sends SUBSCRIBE packet id 96 topic filter "$share/gw/sw/+/t" qos 1
    And "m1" receives SUBACK packet id 96 reason codes [1] within 2 s
    And client "pub" connected
    When "pub" publishes "wild" to "sw/x/t" with qos 1
    Then "m1" receives message "wild" on "sw/x/t" with qos 1 within 2 s

  Scenario Outline: the shared filter "<filter>" is refused (<why>)
    Given the broker supports sharedSubscriptions
    And client "A" connected
    When "A" sends SUBSCRIBE packet id 83 topic filter "<filter>" qos 0
    Then "A" is refused the subscription with packet id 83 within 2 s

    # 4.8.2-1 / 4.8.2-2 bind the sender of the filter (the harness, on purpose here): checked is
    # the receiver's refusal, a SUBACK failure code or the close of 4.13.1-1.
    @MQTT-4.13.1-1
    Examples: empty share name
      | filter          | why             |
      | $share//si/t    | empty share name |

    @MQTT-4.13.1-1
    Examples: bad share name or missing filter
      | filter          | why                   |
      | $share/g+/si/t  | + in the share name   |
      | $share/g#/si/t  | # in the share name   |
      | $share/gx       | no / and no filter    |
      | $share/gx/      | empty topic filter    |

  # 3.8.3-4 makes No Local on a shared subscription the client's Protocol Error: the receiver closes.
  @MQTT-4.13.1-1
  Scenario: No Local on a shared subscription is a protocol error
    Given the broker supports sharedSubscriptions
    And client "A" connected
    When "A" sends SUBSCRIBE packet id 84 topic filter "$share/gn/sn/t" qos 0 no local true
    Then the connection of "A" is closed within 2 s, with reason code 0x82 if the broker sends one

  @MQTT-3.10.4-1 @MQTT-3.10.4-2
  Scenario: unsubscribing with the full shared filter detaches the member
    Given the broker supports sharedSubscriptions
    And client "m1" connected
    And "m1" sends SUBSCRIBE packet id 97 topic filter "$share/gu/su/t" qos 1
    And "m1" receives SUBACK packet id 97 reason codes [1] within 2 s
    And client "pub" connected
    When "m1" sends UNSUBSCRIBE packet id 85 topic filter "su/t"
    # "su/t" is not the shared filter: nothing to delete (0x11 No subscription existed, or 0x00).
    # precondition
    Then "m1" receives one of these within 2 s:
      | UNSUBACK packet id 85 reason codes [0x11] |
      | UNSUBACK packet id 85 reason codes [0x00] |
    When "pub" publishes "still" to "su/t" with qos 1
    # checks MQTT-3.10.4-1
    Then "m1" receives message "still" on "su/t" within 2 s
    When "m1" sends UNSUBSCRIBE packet id 86 topic filter "$share/gu/su/t"
    # checks MQTT-3.10.4-1
    Then "m1" receives UNSUBACK packet id 86 reason codes [0] within 2 s
    When "pub" publishes "after" to "su/t" with qos 1
    # checks MQTT-3.10.4-1, MQTT-3.10.4-2
    Then "m1" receives no message on "su/t" for 200 ms

  # 4.8.2-4 / 4.8.2-5 are about QoS 2; for QoS 1 the server may wait for the member or should
  # pass the message on, so these scenarios use QoS 2.
  @MQTT-4.8.2-4
  Scenario: a shared QoS 2 message in flight to a member that disconnects is completed when it reconnects
    Given the broker supports sharedSubscriptions
    And the broker supports qos2
    And client "m1" connected with session expiry 300
    And "m1" sends SUBSCRIBE packet id 98 topic filter "$share/gf/sf/t" qos 2
    And "m1" receives SUBACK packet id 98 reason codes [2] within 2 s
    And client "pub" connected
    When "pub" publishes "flight" to "sf/t" with qos 2
    And "m1" receives PUBLISH topic "sf/t" qos 2 payload "flight" within 2 s
    And "m1" drops the connection
    And 100 ms pass
    And "m1" connects with clean start false and session expiry 300
    Then "m1" receives CONNACK session present true within 2 s
    And "m1" receives PUBLISH topic "sf/t" qos 2 dup true payload "flight" within 2 s

  @MQTT-4.8.2-5
  Scenario: a shared QoS 2 message in flight to a member whose session ends is not passed to another member
    Given the broker supports sharedSubscriptions
    And the broker supports qos2
    And client "m1" connected
    And "m1" sends SUBSCRIBE packet id 99 topic filter "$share/ge/se/t" qos 2
    And "m1" receives SUBACK packet id 99 reason codes [2] within 2 s
    And client "pub" connected
    When "pub" publishes "orphan" to "se/t" with qos 2
    And "m1" receives PUBLISH topic "se/t" qos 2 payload "orphan" within 2 s
    Given client "m2" connected
    And "m2" sends SUBSCRIBE packet id 100 topic filter "$share/ge/se/t" qos 2
    And "m2" receives SUBACK packet id 100 reason codes [2] within 2 s
    When "m1" drops the connection
    Then "m2" receives nothing like PUBLISH payload "orphan" for 500 ms

  @MQTT-4.8.2-6
  Scenario: a shared message refused with PUBACK 0x80 is discarded, not sent to another member
    Given the broker supports sharedSubscriptions
    And client "m1" connected
    And "m1" sends SUBSCRIBE packet id 101 topic filter "$share/gd/sx/t" qos 1
    And "m1" receives SUBACK packet id 101 reason codes [1] within 2 s
    And client "pub" connected
    When "pub" publishes "refused" to "sx/t" with qos 1
    And "m1" receives message r as PUBLISH topic "sx/t" qos 1 payload "refused" within 2 s
    Given client "m2" connected
    And "m2" sends SUBSCRIBE packet id 102 topic filter "$share/gd/sx/t" qos 1
    And "m2" receives SUBACK packet id 102 reason codes [1] within 2 s
    When "m1" acknowledges message r with PUBACK reason code 0x80
    Then "m2" receives nothing like PUBLISH payload "refused" for 500 ms
    And "m1" receives nothing like PUBLISH payload "refused" for 100 ms

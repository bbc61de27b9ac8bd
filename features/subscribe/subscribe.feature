@subscribe
Feature: SUBSCRIBE and SUBACK
  Every SUBSCRIBE is answered by one SUBACK that echoes its packet identifier and holds one
  code per filter, in filter order: the granted QoS or a failure. Each filter then behaves as
  its own subscription, messages are sent at the lower of the published and granted QoS, and
  subscribing again to the same filter replaces the old subscription instead of adding one.

  Scenario Outline: a multi-filter SUBSCRIBE gets a single SUBACK with one code per filter, in order
    Given the broker supports qos2
    And client "A" connected
    When "A" sends SUBSCRIBE packet id 4660 topic filter "sa/a" qos 2 topic filter "sa/b" qos 0 topic filter "sa/c" qos 1
    Then "A" receives SUBACK packet id 4660 reason codes [2, 0, 1] within 2 s
    And "A" receives nothing like SUBACK for 200 ms

    @v3.1.1 @MQTT-3.8.4-1 @MQTT-3.8.4-2 @MQTT-2.3.1-7 @MQTT-3.8.4-4 @MQTT-3.8.4-5 @MQTT-3.9.3-1 @MQTT-3.9.3-2
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.8.4-1 @MQTT-3.8.4-2 @MQTT-2.2.1-6 @MQTT-3.8.4-5 @MQTT-3.8.4-6 @MQTT-3.8.4-7 @MQTT-3.9.3-1 @MQTT-3.9.3-2
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: every filter of a multi-filter SUBSCRIBE works as its own subscription
    Given the broker supports qos2
    And client "sub" connected
    And client "pub" connected
    When "sub" sends SUBSCRIBE packet id 21 topic filter "sm/a" qos 2 topic filter "sm/b" qos 0 topic filter "sm/c" qos 1
    And "sub" receives SUBACK packet id 21 reason codes [2, 0, 1] within 2 s
    And "pub" publishes "to-a" to "sm/a" with qos 2
    And "pub" publishes "to-b" to "sm/b" with qos 2
    And "pub" publishes "to-c" to "sm/c" with qos 2
    Then "sub" receives message "to-a" on "sm/a" with qos 2 within 2 s
    And "sub" receives message "to-b" on "sm/b" with qos 0 within 2 s
    And "sub" receives message "to-c" on "sm/c" with qos 1 within 2 s

    @v3.1.1 @MQTT-3.8.4-4 @MQTT-3.8.4-6
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.8.4-5 @MQTT-3.8.4-8
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a message is delivered at the lower of its QoS (<pub>) and the granted QoS (<sub>)
    Given the broker supports qos2
    And client "sub" connected
    And "sub" subscribed to "gq/t" with qos <sub>
    And client "pub" connected
    When "pub" publishes "m" to "gq/t" with qos <pub>
    Then "sub" receives PUBLISH topic "gq/t" qos <got> payload "m" within 2 s

    @v3.1.1 @MQTT-3.8.4-6
    Examples: MQTT 3.1.1
      | sub | pub | got |
      | 0   | 2   | 0   |
      | 2   | 1   | 1   |

    @v5 @MQTT-3.8.4-8
    Examples: MQTT 5
      | sub | pub | got |
      | 0   | 2   | 0   |
      | 2   | 1   | 1   |

  Scenario Outline: subscribing again to an identical filter replaces the subscription instead of adding one
    Given the broker supports qos1
    And client "sub" connected
    And "sub" subscribed to "rp/t" with qos 1
    When "sub" sends SUBSCRIBE packet id 7 topic filter "rp/t" qos 0
    Then "sub" receives SUBACK packet id 7 reason codes [0] within 2 s
    Given client "pub" connected
    When "pub" publishes "once" to "rp/t" with qos 1
    # Replaced: the message comes at the new QoS 0 (3.1.1 allows duplicate QoS 0 copies of a
    # QoS 1 message). Added: the old QoS 1 subscription would also yield a QoS 1 copy.
    Then "sub" receives PUBLISH topic "rp/t" qos 0 payload "once" within 2 s
    And "sub" receives nothing like PUBLISH topic "rp/t" qos 1 for 200 ms

    @v3.1.1 @MQTT-3.8.4-3
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.8.4-3
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a replacing SUBSCRIBE re-sends the retained message of the filter
    Given the broker supports retain
    And client "pub" connected
    And "pub" published "kept" to "rr/t" with qos 1 retained
    And client "sub" connected
    When "sub" sends SUBSCRIBE packet id 8 topic filter "rr/t" qos 0
    Then "sub" receives SUBACK packet id 8 reason codes [0] within 2 s
    And "sub" receives PUBLISH topic "rr/t" payload "kept" retain true within 2 s
    When "sub" sends SUBSCRIBE packet id 9 topic filter "rr/t" qos 0
    Then "sub" receives SUBACK packet id 9 reason codes [0] within 2 s
    And "sub" receives PUBLISH topic "rr/t" payload "kept" retain true within 2 s

    @v3.1.1 @MQTT-3.8.4-3 @MQTT-3.3.1-6
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.8.4-4 @MQTT-3.3.1-9
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: overlapping subscriptions deliver the message at the highest granted QoS
    Given the broker supports qos1
    And client "sub" connected
    And "sub" subscribed to "ov/+" with qos 0
    And "sub" subscribed to "ov/t" with qos 1
    And client "pub" connected
    When "pub" publishes "both" to "ov/t" with qos 1
    # One copy at QoS 1, or one copy per subscription (one of them at QoS 1).
    Then "sub" receives PUBLISH topic "ov/t" qos 1 payload "both" within 2 s

    @v3.1.1 @MQTT-3.3.5-1
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.3.4-2
    Examples: MQTT 5
      | version |
      | 5       |

  @v5 @MQTT-3.8.3-3
  Scenario: with No Local set, the client's own messages are not sent back to it
    Given client "A" connected
    And client "B" connected
    When "A" sends SUBSCRIBE packet id 5 topic filter "nl/t" qos 0 no local true
    And "A" receives SUBACK packet id 5 reason codes [0] within 2 s
    And "A" publishes "mine" to "nl/t" with qos 1
    And "B" publishes "theirs" to "nl/t" with qos 1
    Then "A" receives message "theirs" on "nl/t" within 2 s
    And "A" receives nothing like PUBLISH payload "mine" for 200 ms

  @v3.1.1 @MQTT-3.8.3-2
  Scenario: a server that grants a wildcard subscription delivers matching messages on it
    Given the broker supports wildcardSubscriptions
    And client "sub" connected
    And "sub" subscribed to "wc/+/x"
    And client "pub" connected
    When "pub" publishes "w" to "wc/a/x"
    Then "sub" receives message "w" on "wc/a/x" within 2 s

  @v5 @MQTT-3.9.2-1 @MQTT-3.9.2-2
  Scenario: a SUBACK never exceeds the client's Maximum Packet Size because of a Reason String or User Property
    Given client "A" connected with maximum packet size 16 and request problem information 1
    When "A" sends SUBSCRIBE packet id 71 topic filter "mp/a" qos 1 topic filter "mp/b" qos 0
    Then "A" receives SUBACK packet id 71 reason codes [1, 0] within 2 s
    And no SUBACK "A" received was larger than 16 bytes

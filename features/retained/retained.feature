@retain
Feature: Retained messages
  A PUBLISH with RETAIN 1 becomes the retained message of its topic, replacing the previous
  one, and is sent with RETAIN 1 to every later subscription that matches it. A retained
  PUBLISH with an empty payload is forwarded normally and clears the topic's retained message
  without being kept itself. A PUBLISH with RETAIN 0 never touches the retained message.

  Scenario Outline: a retained QoS <qos> message is kept and sent to a later subscriber with RETAIN 1
    Given the broker supports retain
    And the broker supports qos2
    And client "pub" connected
    And "pub" published "stored" to "rs/t" with qos <qos> retained
    And client "sub" connected
    When "sub" sends SUBSCRIBE packet id 51 topic filter "rs/t" qos 2
    # precondition
    Then "sub" receives SUBACK packet id 51 reason codes [2] within 2 s
    And "sub" receives PUBLISH topic "rs/t" qos <qos> payload "stored" retain true within 2 s

    @v3.1.1 @MQTT-3.3.1-5 @MQTT-3.3.1-6 @MQTT-3.3.1-8
    Examples: MQTT 3.1.1
      | qos |
      | 1   |
      | 2   |

    @v5 @MQTT-3.3.1-5 @MQTT-3.3.1-9
    Examples: MQTT 5
      | qos |
      | 1   |
      | 2   |

  Scenario Outline: a new retained message replaces the old one
    Given the broker supports retain
    And client "pub" connected
    And "pub" published "first" to "rp/t" with qos 1 retained
    And "pub" published "second" to "rp/t" with qos 1 retained
    And client "sub" connected
    When "sub" subscribes to "rp/t" with qos 1
    Then "sub" receives PUBLISH topic "rp/t" payload "second" retain true within 2 s
    And "sub" receives nothing like PUBLISH payload "first" for 200 ms

    @v3.1.1 @MQTT-3.3.1-5 @MQTT-3.3.1-6
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.3.1-5
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a retained QoS 0 message makes the server discard the previously retained message
    Given the broker supports retain
    And client "pub" connected
    And "pub" published "old" to "r0/t" with qos 1 retained
    And "pub" published "new" to "r0/t" with qos 0 retained
    And client "sub" connected
    When "sub" subscribes to "r0/t" with qos 1
    # Keeping the QoS 0 "new" is only recommended (the server may discard it at any time);
    # sending "old" is forbidden.
    Then "sub" receives nothing like PUBLISH payload "old" for 200 ms

    @v3.1.1 @MQTT-3.3.1-7
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.3.1-5
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a retained empty message is forwarded normally, clears the retained message and is not kept
    Given the broker supports retain
    And client "pub" connected
    And "pub" published "doomed" to "re/t" with qos 1 retained
    And client "watch" connected
    And "watch" subscribed to "re/t" with qos 1
    And "watch" receives PUBLISH topic "re/t" payload "doomed" retain true within 2 s
    When "pub" publishes "" to "re/t" with qos 1 retained
    Then "watch" receives PUBLISH topic "re/t" qos 1 payload "" within 2 s
    Given client "late" connected
    When "late" subscribes to "re/t" with qos 1
    Then "late" receives nothing like PUBLISH for 200 ms

    @v3.1.1 @MQTT-3.3.1-10 @MQTT-3.3.1-11
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.3.1-6 @MQTT-3.3.1-7
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a retained empty message on a topic without a retained message is not kept
    Given the broker supports retain
    And client "pub" connected
    And "pub" published "" to "rz/t" with qos 1 retained
    And client "sub" connected
    When "sub" subscribes to "rz/t" with qos 1
    Then "sub" receives nothing like PUBLISH for 200 ms

    @v3.1.1 @MQTT-3.3.1-11
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.3.1-7
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a PUBLISH with RETAIN 0 neither replaces nor removes the retained message
    Given the broker supports retain
    And client "pub" connected
    And "pub" published "kept" to "rn/t" with qos 1 retained
    And "pub" published "plain" to "rn/t" with qos 1
    And client "sub" connected
    When "sub" subscribes to "rn/t" with qos 1
    Then "sub" receives PUBLISH topic "rn/t" payload "kept" retain true within 2 s
    And "sub" receives nothing like PUBLISH payload "plain" for 200 ms

    @v3.1.1 @MQTT-3.3.1-12
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.3.1-8
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a PUBLISH with RETAIN 0 is not stored as a retained message
    Given client "pub" connected
    And "pub" published "fleeting" to "rf/t" with qos 1
    And client "sub" connected
    When "sub" subscribes to "rf/t" with qos 1
    Then "sub" receives nothing like PUBLISH for 200 ms

    @v3.1.1 @MQTT-3.3.1-12
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.3.1-8
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a new wildcard subscription gets the retained message of every topic it matches
    Given the broker supports retain
    And the broker supports wildcardSubscriptions
    And client "pub" connected
    And "pub" published "one" to "rw/a" with qos 1 retained
    And "pub" published "two" to "rw/b/c" with qos 1 retained
    And "pub" published "other" to "rx/a" with qos 1 retained
    And client "sub" connected
    When "sub" subscribes to "rw/#" with qos 1
    # checks MQTT-3.3.1-6, MQTT-3.3.1-9
    Then "sub" receives PUBLISH topic "rw/a" payload "one" within 2 s
    # A delivery of a retained message on subscription carries RETAIN 1 (3.3.1-8 / 5.0 3.3.1-9).
    # checks MQTT-3.3.1-8, MQTT-3.3.1-9
    And the last packet "sub" received matches PUBLISH retain true
    # checks MQTT-3.3.1-6, MQTT-3.3.1-9
    And "sub" receives PUBLISH topic "rw/b/c" payload "two" within 2 s
    # checks MQTT-3.3.1-8, MQTT-3.3.1-9
    And the last packet "sub" received matches PUBLISH retain true
    # checks MQTT-3.3.1-6, MQTT-3.3.1-9
    And "sub" receives nothing like PUBLISH payload "other" for 200 ms

    @v3.1.1 @MQTT-3.3.1-6 @MQTT-3.3.1-8
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.3.1-9
    Examples: MQTT 5
      | version |
      | 5       |

  @v3.1.1 @MQTT-3.1.2-7
  Scenario: a retained message outlives the clean session that published it
    Given the broker supports retain
    And client "pub" connected with clean session true
    And "pub" published "survivor" to "rl/t" with qos 1 retained
    When "pub" disconnects
    And client "sub" connected
    And "sub" subscribes to "rl/t" with qos 1
    Then "sub" receives PUBLISH topic "rl/t" payload "survivor" retain true within 2 s

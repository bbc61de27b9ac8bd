@topics
Feature: Invalid topic filters and topic names are rejected
  `#` is a whole last level, `+` a whole level; topic names and filters are at least one
  character long and never contain U+0000; wildcards never appear in a topic name. A server
  refuses a bad filter (SUBACK failure code, or closing the connection) and closes the
  connection of a client that publishes to a bad topic name, without forwarding the message.

  Scenario Outline: the misplaced wildcard filter "<filter>" is refused
    Given client "A" connected
    When "A" sends SUBSCRIBE packet id 31 topic filter "<filter>" qos 0
    Then "A" is refused the subscription with packet id 31 within 2 s

    # 4.7.1-1 / 4.7.1-2 bind the sender of the filter (the harness, on purpose here): checked is
    # the receiver's refusal, a SUBACK failure code or the close of 4.13.1-1.
    @v5 @MQTT-4.13.1-1
    Examples: misplaced # (MQTT 5)
      | filter  |
      | tf/#/b  |
      | tf/a#   |

    @v5 @MQTT-4.13.1-1
    Examples: misplaced + (MQTT 5)
      | filter  |
      | tf/a+   |
      | tf/+a/b |

  Scenario Outline: wildcards that fill whole levels are accepted at any level
    Given the broker supports wildcardSubscriptions
    And topics are not prefixed
    And client "A" connected
    When "A" sends SUBSCRIBE packet id 32 topic filter "<a>" qos 0 topic filter "<b>" qos 0 topic filter "<c>" qos 0
    Then "A" receives SUBACK packet id 32 reason codes [0, 0, 0] within 2 s

    @v5 @MQTT-4.7.1-1 @MQTT-4.7.1-2
    Examples: MQTT 5
      | a   | b          | c            |
      | #   | +          | +/mh5v/+/#   |

  Scenario Outline: an empty topic filter is refused
    Given client "A" connected
    When "A" sends SUBSCRIBE packet id 33 topic filter "" qos 0
    Then "A" is refused the subscription with packet id 33 within 2 s

    # 4.7.3-1 binds the sender (the harness, on purpose here): checked is the refusal.
    @v3.1.1 @MQTT-4.8.0-1
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-4.13.1-1
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a topic filter containing U+0000 is refused
    Given client "A" connected
    When "A" sends SUBSCRIBE packet id 34 topic filter "tf/a\u0000b" qos 0
    Then "A" is refused the subscription with packet id 34 within 2 s

    # 4.7.3-2 binds the sender (the harness, on purpose here): checked is the refusal.
    @v3.1.1 @MQTT-4.8.0-1
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-4.13.1-1
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a PUBLISH to the topic name "<topic>" closes the connection and is not forwarded
    Given the broker supports wildcardSubscriptions
    And client "sub" connected
    And "sub" subscribed to "tn/#"
    And client "pub" connected
    When "pub" sends PUBLISH topic "<topic>" qos 0 payload "bad"
    # The topic rules bind the sender (the harness breaks them here); the receiver closes.
    # checks MQTT-4.8.0-1, MQTT-4.13.1-1
    Then the connection of "pub" is closed within 2 s, with a failure reason code if the broker sends one
    # A forwarded copy would have the broker send the bad topic name itself.
    # checks MQTT-4.8.0-1, MQTT-4.13.1-1, MQTT-4.7.1-1, MQTT-3.3.2-2, MQTT-4.7.0-1, MQTT-4.7.3-2
    And "sub" receives nothing like PUBLISH payload "bad" for 200 ms

    @v3.1.1 @MQTT-4.7.1-1 @MQTT-3.3.2-2 @MQTT-4.8.0-1
    Examples: wildcards (MQTT 3.1.1)
      | topic    |
      | tn/+     |
      | tn/#     |

    @v3.1.1 @MQTT-4.7.3-2 @MQTT-4.8.0-1
    Examples: U+0000 (MQTT 3.1.1)
      | topic        |
      | tn/a\u0000b  |

    @v5 @MQTT-4.7.0-1 @MQTT-3.3.2-2 @MQTT-4.13.1-1
    Examples: wildcards (MQTT 5)
      | topic    |
      | tn/+     |
      | tn/#     |

    @v5 @MQTT-4.7.3-2 @MQTT-4.13.1-1
    Examples: U+0000 (MQTT 5)
      | topic        |
      | tn/a\u0000b  |

  Scenario Outline: a PUBLISH with an empty topic name (and no topic alias) closes the connection
    Given client "pub" connected
    When "pub" sends PUBLISH topic "" qos 0 payload "bad"
    Then the connection of "pub" is closed within 2 s, with a failure reason code if the broker sends one

    # 4.7.3-1 binds the sender (the harness, on purpose here): checked is the close.
    @v3.1.1 @MQTT-4.8.0-1
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-4.13.1-1
    Examples: MQTT 5
      | version |
      | 5       |

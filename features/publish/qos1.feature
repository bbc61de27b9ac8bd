Feature: QoS 1 delivery (at least once)
  A QoS 1 PUBLISH carries a non-zero packet identifier and is answered with a PUBACK that
  echoes it; the server forwards it to QoS 1 subscribers as a QoS 1 PUBLISH of its own.

  Scenario Outline: a QoS 1 PUBLISH is acknowledged with a PUBACK echoing its packet identifier
    Given client "pub" connected
    When "pub" sends PUBLISH topic "q1/ack" qos 1 packet id 5 payload "x"
    # With no subscriber a 5.0 server may answer 0x10 (no matching subscribers).
    Then "pub" receives one of these within 2 s:
      | PUBACK packet id 5 reason code 0    |
      | PUBACK packet id 5 reason code 0x10 |

    @v3.1.1 @MQTT-3.3.4-1 @MQTT-2.3.1-6 @MQTT-4.3.2-2
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.3.4-1 @MQTT-2.2.1-5 @MQTT-4.3.2-4 @MQTT-3.4.2-1
    Examples: MQTT 5
      | version |
      | 5       |

  # The strict decoder also checks the forwarded PUBLISH opens with a valid UTF-8 topic name.
  Scenario Outline: a QoS 1 subscriber receives a QoS 1 PUBLISH with a packet identifier and DUP 0
    Given client "sub" connected
    And "sub" subscribed to "q1/fwd" with qos 1
    And client "pub" connected
    When "pub" publishes "hello" to "q1/fwd" with qos 1
    Then "sub" receives PUBLISH topic "q1/fwd" qos 1 dup false packet id present payload "hello" within 2 s

    @v3.1.1 @MQTT-2.3.1-1 @MQTT-4.3.2-1 @MQTT-2.3.1-4 @MQTT-3.3.2-3 @MQTT-3.3.2-1
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-4.3.2-2 @MQTT-2.2.1-4 @MQTT-3.3.2-3 @MQTT-3.3.2-1
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a QoS 1 message to a QoS 0 subscription arrives as QoS 0 without a packet identifier
    Given client "sub" connected
    And "sub" subscribed to "q1/down" with qos 0
    And client "pub" connected
    When "pub" publishes "low" to "q1/down" with qos 1
    Then "sub" receives PUBLISH topic "q1/down" qos 0 dup false packet id absent payload "low" within 2 s

    @v3.1.1 @MQTT-2.3.1-5 @MQTT-3.3.1-2
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-2.2.1-2 @MQTT-3.3.1-2
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a packet identifier reused after its PUBACK starts a new message
    Given client "sub" connected
    And "sub" subscribed to "q1/reuse" with qos 1
    And client "pub" connected
    When "pub" sends PUBLISH topic "q1/reuse" qos 1 packet id 7 payload "one"
    And "pub" receives PUBACK packet id 7 within 2 s
    And "pub" sends PUBLISH topic "q1/reuse" qos 1 packet id 7 payload "two"
    Then "pub" receives PUBACK packet id 7 within 2 s
    And "sub" receives message "one" on "q1/reuse" with qos 1
    And "sub" receives message "two" on "q1/reuse" with qos 1

    @v3.1.1 @MQTT-4.3.2-2
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-4.3.2-5
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: the server answers a SUBSCRIBE with a SUBACK echoing its packet identifier
    Given client "sub" connected
    When "sub" sends SUBSCRIBE packet id 9 topic filter "q1/s" qos 1
    Then "sub" receives SUBACK packet id 9 reason codes [1] within 2 s

    @v3.1.1 @MQTT-2.3.1-7 @MQTT-3.8.4-1 @MQTT-3.8.4-2 @MQTT-3.8.4-5
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-2.2.1-6 @MQTT-3.8.4-1 @MQTT-3.8.4-2
    Examples: MQTT 5
      | version |
      | 5       |

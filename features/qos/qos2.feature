@qos @qos2
Feature: QoS 2 delivery (exactly once), both directions
  The receiver of a QoS 2 PUBLISH answers PUBREC with its packet identifier, answers a
  repeated PUBLISH with PUBREC again without delivering it twice, answers PUBREL with PUBCOMP,
  and after PUBCOMP treats the identifier as free. As a sender the server uses a fresh
  identifier, sends PUBREL (flags 0010) after PUBREC, and never sends the PUBLISH again once
  it has sent PUBREL.

  Scenario Outline: an inbound QoS 2 PUBLISH goes through PUBREC, PUBREL, PUBCOMP with its packet identifier
    Given the broker supports qos2
    And client "sub" connected
    And "sub" subscribed to "q2/in" with qos 2
    And client "pub" connected
    When "pub" sends PUBLISH topic "q2/in" qos 2 packet id 10 payload "x"
    # checks MQTT-3.3.4-1, MQTT-4.3.3-2, MQTT-4.3.3-8, MQTT-3.5.2-1
    Then "pub" receives PUBREC packet id 10 reason code 0 within 2 s
    When "pub" sends PUBREL packet id 10
    # checks MQTT-4.3.3-2, MQTT-4.3.3-11, MQTT-3.7.2-1
    Then "pub" receives PUBCOMP packet id 10 reason code 0 within 2 s
    # precondition
    And "sub" receives message "x" on "q2/in" with qos 2 within 2 s

    @v3.1.1 @MQTT-3.3.4-1 @MQTT-4.3.3-2
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.3.4-1 @MQTT-4.3.3-8 @MQTT-4.3.3-11 @MQTT-3.5.2-1 @MQTT-3.7.2-1
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a QoS 2 PUBLISH repeated before PUBREL is acknowledged again but delivered once
    Given the broker supports qos2
    And client "sub" connected
    And "sub" subscribed to "q2/dup" with qos 2
    And client "pub" connected
    When "pub" sends PUBLISH topic "q2/dup" qos 2 packet id 11 payload "only once"
    Then "pub" receives PUBREC packet id 11 within 2 s
    When "pub" sends PUBLISH topic "q2/dup" qos 2 packet id 11 dup true payload "only once"
    Then "pub" receives PUBREC packet id 11 within 2 s
    When "pub" sends PUBREL packet id 11
    Then "pub" receives PUBCOMP packet id 11 within 2 s
    And "sub" receives message "only once" on "q2/dup" with qos 2 within 2 s
    And "sub" receives nothing like PUBLISH payload "only once" for 500 ms

    @v3.1.1 @MQTT-4.3.3-2
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-4.3.3-10
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: after PUBCOMP the packet identifier starts a new message
    Given the broker supports qos2
    And client "sub" connected
    And "sub" subscribed to "q2/reuse" with qos 2
    And client "pub" connected
    When "pub" sends PUBLISH topic "q2/reuse" qos 2 packet id 12 payload "first"
    And "pub" receives PUBREC packet id 12 within 2 s
    And "pub" sends PUBREL packet id 12
    And "pub" receives PUBCOMP packet id 12 within 2 s
    And "pub" sends PUBLISH topic "q2/reuse" qos 2 packet id 12 payload "second"
    And "pub" receives PUBREC packet id 12 within 2 s
    And "pub" sends PUBREL packet id 12
    Then "pub" receives PUBCOMP packet id 12 within 2 s
    And "sub" receives message "first" on "q2/reuse" with qos 2 within 2 s
    And "sub" receives message "second" on "q2/reuse" with qos 2 within 2 s

    @v3.1.1 @MQTT-4.3.3-2
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-4.3.3-12
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: an outbound QoS 2 message: fresh PUBLISH, PUBREL after PUBREC, no PUBLISH after PUBREL
    Given the broker supports qos2
    And client "sub" connected
    And "sub" subscribed to "q2/out" with qos 2
    And client "pub" connected
    When "pub" publishes "outbound" to "q2/out" with qos 2
    Then "sub" receives message m1 as PUBLISH topic "q2/out" qos 2 dup false payload "outbound" within 2 s
    When "sub" acknowledges message m1 with PUBREC
    Then "sub" receives message m1 as PUBREL within 2 s
    And "sub" receives nothing like PUBLISH payload "outbound" for 300 ms
    When "sub" acknowledges message m1 with PUBCOMP
    Then "sub" receives nothing for 200 ms

    @v3.1.1 @MQTT-4.3.3-1 @MQTT-3.6.1-1 @MQTT-3.3.4-1
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-4.3.3-2 @MQTT-4.3.3-4 @MQTT-4.3.3-6 @MQTT-3.6.1-1 @MQTT-3.6.2-1 @MQTT-3.3.4-1
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a PUBREL for a packet identifier the server does not know is still answered with PUBCOMP
    Given client "pub" connected
    When "pub" sends PUBREL packet id 77
    Then "pub" receives one of these within 2 s:
      | PUBCOMP packet id 77 reason code 0    |
      | PUBCOMP packet id 77 reason code 0x92 |

    @v3.1.1 @MQTT-4.3.3-2
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-4.3.3-11 @MQTT-3.7.2-1
    Examples: MQTT 5
      | version |
      | 5       |

  @v5 @MQTT-4.4.0-2 @MQTT-4.3.3-4
  Scenario: a PUBREC of 0x80 or above ends the exchange: no PUBREL and no resend
    Given the broker supports qos2
    And client "sub" connected
    And "sub" subscribed to "q2/refused" with qos 2
    And client "pub" connected
    When "pub" publishes "refused" to "q2/refused" with qos 2
    Then "sub" receives message m1 as PUBLISH topic "q2/refused" qos 2 payload "refused" within 2 s
    When "sub" acknowledges message m1 with PUBREC reason code 0x80
    Then "sub" receives nothing for 500 ms

  @v5 @MQTT-3.5.2-1 @MQTT-3.4.2-1
  Scenario: acknowledgements of a message nobody subscribed to use codes from their tables
    Given client "pub" connected
    When "pub" sends PUBLISH topic "q2/nobody" qos 2 packet id 13 payload "void"
    # checks MQTT-3.5.2-1
    Then "pub" receives one of these within 2 s:
      | PUBREC packet id 13 reason code 0    |
      | PUBREC packet id 13 reason code 0x10 |
    When "pub" sends PUBREL packet id 13
    # precondition
    Then "pub" receives PUBCOMP packet id 13 reason code 0 within 2 s
    When "pub" sends PUBLISH topic "q2/nobody" qos 1 packet id 14 payload "void"
    # checks MQTT-3.4.2-1
    Then "pub" receives one of these within 2 s:
      | PUBACK packet id 14 reason code 0    |
      | PUBACK packet id 14 reason code 0x10 |

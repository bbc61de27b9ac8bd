@subscribe @unsubscribe
Feature: UNSUBSCRIBE and UNSUBACK
  Every UNSUBSCRIBE is answered by one UNSUBACK echoing its packet identifier, even when no
  subscription was removed. Filters are compared literally with the held ones (wildcards are
  not expanded); a removed subscription gets no new messages, while QoS 1 / 2 deliveries that
  had already started are still completed. At 5.0 the UNSUBACK holds one reason code per
  filter, in filter order.

  Scenario Outline: an UNSUBSCRIBE is answered by an UNSUBACK with the same packet identifier
    Given client "A" connected
    And "A" subscribed to "us/a"
    When "A" sends UNSUBSCRIBE packet id 4661 topic filter "us/a"
    Then "A" receives UNSUBACK packet id 4661 within 2 s

    @v3.1.1 @MQTT-3.10.4-4 @MQTT-2.3.1-7
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.10.4-4 @MQTT-3.10.4-5 @MQTT-2.2.1-6
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: an UNSUBSCRIBE that removes nothing is still answered by an UNSUBACK
    Given client "A" connected
    When "A" sends UNSUBSCRIBE packet id 77 topic filter "us/never"
    Then "A" receives UNSUBACK packet id 77 within 2 s

    @v3.1.1 @MQTT-3.10.4-5 @MQTT-3.10.4-4
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.10.4-5 @MQTT-3.10.4-4
    Examples: MQTT 5
      | version |
      | 5       |

  @v5 @MQTT-3.11.3-1 @MQTT-3.11.3-2 @MQTT-3.10.4-6
  Scenario: the UNSUBACK holds one reason code per filter, in filter order
    Given client "A" connected
    And "A" subscribed to "uo/a"
    And "A" subscribed to "uo/c"
    When "A" sends UNSUBSCRIBE packet id 78 topic filter "uo/none" topic filter "uo/a" topic filter "uo/b" topic filter "uo/c"
    # A filter with no subscription may be answered 0x11 (No subscription existed) or 0x00.
    Then "A" receives one of these within 2 s:
      | UNSUBACK packet id 78 reason codes [0x11, 0x00, 0x11, 0x00] |
      | UNSUBACK packet id 78 reason codes [0x00, 0x00, 0x00, 0x00] |
      | UNSUBACK packet id 78 reason codes [0x11, 0x00, 0x00, 0x00] |
      | UNSUBACK packet id 78 reason codes [0x00, 0x00, 0x11, 0x00] |

  Scenario Outline: after an UNSUBSCRIBE no new messages are sent for the removed filter
    Given client "sub" connected
    And "sub" subscribed to "uu/t" with qos 1
    And client "pub" connected
    When "sub" unsubscribes from "uu/t"
    And "pub" publishes "late" to "uu/t" with qos 1
    Then "sub" receives no message on "uu/t" for 200 ms

    @v3.1.1 @MQTT-3.10.4-2
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.10.4-2
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: unsubscribe filters are compared literally, so a wildcard subscription is not removed by a topic it matches
    Given client "sub" connected
    And "sub" subscribed to "ul/+"
    And client "pub" connected
    When "sub" sends UNSUBSCRIBE packet id 79 topic filter "ul/x"
    And "sub" receives UNSUBACK packet id 79 within 2 s
    And "pub" publishes "still" to "ul/x"
    Then "sub" receives message "still" on "ul/x" within 2 s
    When "sub" sends UNSUBSCRIBE packet id 80 topic filter "ul/+"
    And "sub" receives UNSUBACK packet id 80 within 2 s
    And "pub" publishes "gone" to "ul/x" with qos 1
    Then "sub" receives no message on "ul/x" for 200 ms

    @v3.1.1 @MQTT-3.10.4-1
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.10.4-1
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a multi-filter UNSUBSCRIBE removes each filter and gets a single UNSUBACK
    Given client "sub" connected
    And "sub" subscribed to "um/a" with qos 1
    And "sub" subscribed to "um/b" with qos 1
    And "sub" subscribed to "um/c" with qos 1
    And client "pub" connected
    When "sub" sends UNSUBSCRIBE packet id 81 topic filter "um/a" topic filter "um/b"
    Then "sub" receives UNSUBACK packet id 81 within 2 s
    When "pub" publishes "a" to "um/a" with qos 1
    And "pub" publishes "b" to "um/b" with qos 1
    And "pub" publishes "c" to "um/c" with qos 1
    Then "sub" receives message "c" on "um/c" with qos 1 within 2 s
    And "sub" receives no message for 200 ms
    And "sub" receives nothing like UNSUBACK for 50 ms

    @v3.1.1 @MQTT-3.10.4-6
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.10.4-6
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a QoS 1 delivery already started on a removed filter is still completed
    Given the broker supports qos1
    And client "sub" connected with <first>
    And "sub" subscribed to "ui/t" with qos 1
    And "sub" leaves its deliveries unacknowledged
    And client "pub" connected
    When "pub" publishes "in-flight" to "ui/t" with qos 1
    And "sub" receives PUBLISH topic "ui/t" qos 1 payload "in-flight" within 2 s
    And "sub" unsubscribes from "ui/t"
    # The PUBLISH is left unacknowledged; the resumed session must send it again.
    And "sub" drops the connection
    And 100 ms pass
    And "sub" connects with <again>
    # checks MQTT-3.2.2-2, MQTT-3.2.2-3
    Then "sub" receives CONNACK session present true within 2 s
    # The delivery must be completed (3.10.4-3); its DUP flag is 3.3.1-1, checked elsewhere.
    # checks MQTT-3.10.4-3
    And "sub" receives PUBLISH topic "ui/t" qos 1 payload "in-flight" within 2 s

    @v3.1.1 @MQTT-3.10.4-3 @MQTT-3.2.2-2
    Examples: MQTT 3.1.1
      | first               | again               |
      | clean session false | clean session false |

    @v5 @MQTT-3.10.4-3 @MQTT-3.2.2-3
    Examples: MQTT 5
      | first              | again                                    |
      | session expiry 300 | clean start false and session expiry 300 |

  @v5 @MQTT-3.11.2-1 @MQTT-3.11.2-2
  Scenario: an UNSUBACK never exceeds the client's Maximum Packet Size because of a Reason String or User Property
    Given client "A" connected with maximum packet size 16 and request problem information 1
    And "A" subscribed to "mu/a"
    When "A" sends UNSUBSCRIBE packet id 72 topic filter "mu/none" topic filter "mu/a"
    # precondition
    Then "A" receives one of these within 2 s:
      | UNSUBACK packet id 72 reason codes [0x11, 0x00] |
      | UNSUBACK packet id 72 reason codes [0x00, 0x00] |
    And no UNSUBACK "A" received was larger than 16 bytes

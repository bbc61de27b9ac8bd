Feature: Malformed fixed headers
  The first byte of every packet holds its type and flags; reserved flag values are fixed,
  type 0 does not exist and QoS 3 is not a QoS. A server receiving any of these closes the
  connection (in MQTT 5 it may first send DISCONNECT with reason code 0x81, malformed packet).

  Scenario Outline: a packet of reserved type 0 closes the connection
    Given client "A" connected
    When "A" sends raw "00 00"
    # Whether a forbidden packet type is "malformed" or a "protocol error" is not pinned down.
    Then the connection of "A" is closed within 2 s, with reason code 0x81 or 0x82 if the broker sends one

    @v3.1.1 @MQTT-4.8.0-1
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-4.13.1-1
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: SUBSCRIBE with fixed-header flags other than 0010 closes the connection
    Given client "A" connected
    # SUBSCRIBE (flags 0000) packet id 1, filter "a", QoS 0
    When "A" sends raw "<subscribe>"
    Then the connection of "A" is closed within 2 s, with reason code 0x81 if the broker sends one

    @v3.1.1 @MQTT-3.8.1-1 @MQTT-2.2.2-2
    Examples: MQTT 3.1.1
      | subscribe                 |
      | 80 06 00 01 00 01 61 00   |

    @v5 @MQTT-3.8.1-1 @MQTT-4.13.1-1
    Examples: MQTT 5
      | subscribe                   |
      | 80 07 00 01 00 00 01 61 00  |

  Scenario Outline: PUBREL with fixed-header flags other than 0010 closes the connection
    Given client "A" connected
    # PUBREL (flags 0000) packet id 1
    When "A" sends raw "60 02 00 01"
    Then the connection of "A" is closed within 2 s, with reason code 0x81 if the broker sends one

    @v3.1.1 @MQTT-3.6.1-1 @MQTT-2.2.2-2
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.6.1-1 @MQTT-4.13.1-1
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: UNSUBSCRIBE with fixed-header flags other than 0010 closes the connection
    Given client "A" connected
    # UNSUBSCRIBE (flags 0000) packet id 1, filter "a"
    When "A" sends raw "<unsubscribe>"
    Then the connection of "A" is closed within 2 s, with reason code 0x81 if the broker sends one

    @v3.1.1 @MQTT-3.10.1-1 @MQTT-2.2.2-2
    Examples: MQTT 3.1.1
      | unsubscribe            |
      | a0 05 00 01 00 01 61   |

    @v5 @MQTT-3.10.1-1 @MQTT-4.13.1-1
    Examples: MQTT 5
      | unsubscribe               |
      | a0 06 00 01 00 00 01 61   |

  Scenario Outline: a PUBLISH with QoS 3 closes the connection
    Given client "A" connected
    # PUBLISH flags 0110 (QoS bits 11), topic "a", packet id 1, payload "x"
    When "A" sends raw "<publish>"
    Then the connection of "A" is closed within 2 s, with reason code 0x81 if the broker sends one

    @v3.1.1 @MQTT-3.3.1-4
    Examples: MQTT 3.1.1
      | publish                    |
      | 36 06 00 01 61 00 01 78    |

    # MQTT 5 3.3.1-4 only binds the sender (the harness breaks it here): checked is the close.
    @v5 @MQTT-4.13.1-1
    Examples: MQTT 5
      | publish                       |
      | 36 07 00 01 61 00 01 00 78    |

  Scenario Outline: PINGREQ with non-zero fixed-header flags closes the connection
    Given client "A" connected
    When "A" sends raw "c1 00"
    Then the connection of "A" is closed within 2 s, with reason code 0x81 if the broker sends one

    @v3.1.1 @MQTT-2.2.2-2
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-4.13.1-1
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: a Remaining Length longer than four bytes closes the connection
    Given client "A" connected
    When "A" sends raw "30 ff ff ff ff 01"
    Then the connection of "A" is closed within 2 s, with reason code 0x81 if the broker sends one

    @v3.1.1 @MQTT-4.8.0-1
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-4.13.1-1
    Examples: MQTT 5
      | version |
      | 5       |

  Scenario Outline: PINGREQ is answered with PINGRESP
    Given client "A" connected
    When "A" sends PINGREQ
    Then "A" receives PINGRESP within 2 s

    @v3.1.1 @MQTT-3.12.4-1
    Examples: MQTT 3.1.1
      | version |
      | 3.1.1   |

    @v5 @MQTT-3.12.4-1
    Examples: MQTT 5
      | version |
      | 5       |

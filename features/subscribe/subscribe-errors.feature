@subscribe @malformed
Feature: Malformed SUBSCRIBE and UNSUBSCRIBE packets
  The fixed-header flags of SUBSCRIBE and UNSUBSCRIBE are 0010, their payload holds at least
  one filter, every filter is a well-formed UTF-8 string and the reserved bits of the
  subscription options are zero. A server that receives anything else closes the connection.

  Scenario Outline: a SUBSCRIBE whose fixed-header flags are not 0010 closes the connection
    Given client "A" connected
    When "A" sends raw "<packet>"
    Then the connection of "A" is closed within 2 s, with reason code 0x81 if the broker sends one

    # SUBSCRIBE packet id 11, filter "s/f" QoS 0, with header flags 0000
    @v3.1.1 @MQTT-3.8.1-1
    Examples: MQTT 3.1.1
      | packet                        |
      | 80 08 00 0b 00 03 73 2f 66 00 |

    @v5 @MQTT-3.8.1-1
    Examples: MQTT 5
      | packet                           |
      | 80 09 00 0b 00 00 03 73 2f 66 00 |

  Scenario Outline: a SUBSCRIBE without any filter is a protocol violation that closes the connection
    Given client "A" connected
    When "A" sends raw "<packet>"
    Then the connection of "A" is closed within 2 s, with a failure reason code if the broker sends one

    # MQTT-3.8.3-3 / 3.8.3-2 (a SUBSCRIBE holds a filter) bind the client, which breaks them on
    # purpose here: checked is the receiver's duty to close.
    @v3.1.1 @MQTT-4.8.0-1
    Examples: MQTT 3.1.1
      | packet      |
      | 82 02 00 0a |

    @v5 @MQTT-4.13.1-1
    Examples: MQTT 5
      | packet         |
      | 82 03 00 0a 00 |

  Scenario Outline: non-zero reserved bits in the requested QoS byte close the connection (<why>)
    Given client "A" connected
    When "A" sends raw "<packet>"
    Then the connection of "A" is closed within 2 s, with reason code 0x81 if the broker sends one

    @v3.1.1 @MQTT-3.8.3-4
    Examples: MQTT 3.1.1
      | why           | packet                        |
      | QoS 3         | 82 08 00 0c 00 03 73 2f 66 03 |
      | reserved bit 2 | 82 08 00 0c 00 03 73 2f 66 04 |

    @v5 @MQTT-3.8.3-5
    Examples: MQTT 5
      | why            | packet                           |
      | reserved bit 6 | 82 09 00 0c 00 00 03 73 2f 66 40 |

  Scenario Outline: a SUBSCRIBE topic filter that is not valid UTF-8 closes the connection (<why>)
    Given client "A" connected
    When "A" sends raw "<packet>"
    Then the connection of "A" is closed within 2 s, with reason code 0x81 if the broker sends one

    # MQTT-3.8.3-1 (filters are UTF-8) binds the client: checked is the close (4.13.1-1).
    @v5 @MQTT-4.13.1-1
    Examples: MQTT 5
      | why                       | packet                              |
      | byte 0xFF                 | 82 09 00 0d 00 00 03 73 2f ff 00    |
      | encoded surrogate U+D800  | 82 0a 00 0d 00 00 04 73 ed a0 80 00 |

  Scenario Outline: an UNSUBSCRIBE whose fixed-header flags are not 0010 closes the connection
    Given client "A" connected
    When "A" sends raw "<packet>"
    Then the connection of "A" is closed within 2 s, with reason code 0x81 if the broker sends one

    # UNSUBSCRIBE packet id 15, filter "s/f", with header flags 0000
    @v3.1.1 @MQTT-3.10.1-1
    Examples: MQTT 3.1.1
      | packet                     |
      | a0 07 00 0f 00 03 73 2f 66 |

    @v5 @MQTT-3.10.1-1
    Examples: MQTT 5
      | packet                        |
      | a0 08 00 0f 00 00 03 73 2f 66 |

  Scenario Outline: an UNSUBSCRIBE without any filter is a protocol violation that closes the connection
    Given client "A" connected
    When "A" sends raw "<packet>"
    Then the connection of "A" is closed within 2 s, with a failure reason code if the broker sends one

    # MQTT-3.10.3-2 binds the client: checked is the receiver's duty to close.
    @v3.1.1 @MQTT-4.8.0-1
    Examples: MQTT 3.1.1
      | packet      |
      | a2 02 00 0e |

    @v5 @MQTT-4.13.1-1
    Examples: MQTT 5
      | packet         |
      | a2 03 00 0e 00 |

  Scenario Outline: an UNSUBSCRIBE topic filter that is not valid UTF-8 closes the connection (<why>)
    Given client "A" connected
    When "A" sends raw "<packet>"
    Then the connection of "A" is closed within 2 s, with reason code 0x81 if the broker sends one

    # MQTT-3.10.3-1 (filters are UTF-8) binds the client: checked is the close (4.13.1-1).
    @v5 @MQTT-4.13.1-1
    Examples: MQTT 5
      | why                      | packet                           |
      | encoded surrogate U+D800 | a2 09 00 10 00 00 04 73 ed a0 80 |

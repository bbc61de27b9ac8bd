@errors
Feature: Malformed packets close the connection
  A packet that cannot be parsed as the specification describes is malformed. MQTT 3.1.1: the
  server closes the connection (4.8). MQTT 5: the server closes the connection and, if it says
  why first, uses DISCONNECT reason code 0x81 (4.13). Each raw PUBLISH goes to its own
  unprefixed topic "dr/eNN"; a subscriber checks that nothing malformed is forwarded (a copy
  would go out before the close, so a short wait after the close is enough).

  Scenario Outline: <defect> closes the connection
    Given topics are not prefixed
    And client "sub" connected
    And "sub" subscribed to "<topic>"
    And client "A" connected
    When "A" sends raw "<packet>"
    # checks if sent MQTT-4.13.2-1
    Then the connection of "A" is closed within 2 s, with reason code 0x81 if the broker sends one
    And "sub" receives no message for 100 ms

    @v3.1.1 @MQTT-4.8.0-1
    Examples: MQTT 3.1.1
      | defect                                                | packet                            | topic  |
      | a PUBLISH whose topic length runs past the packet end | 30 08 00 10 64 72 2f 65 31 31     | dr/e11 |
      | a SUBSCRIBE whose filter length runs past the end     | 82 06 00 01 00 10 61 00           | dr/e31 |
      | a SUBSCRIBE filter without its options byte           | 82 05 00 01 00 01 61              | dr/e32 |
      | a PUBACK cut short inside its packet id               | 40 01 00                          | dr/e33 |
      | a PINGREQ carrying a byte                             | c0 01 00                          | dr/e34 |

    @v5 @MQTT-4.13.1-1 @MQTT-4.13.2-1
    Examples: MQTT 5
      | defect                                                | packet                            | topic  |
      | a PUBLISH whose topic length runs past the packet end | 30 08 00 10 64 72 2f 65 31 32     | dr/e12 |
      | a SUBSCRIBE whose filter length runs past the end     | 82 07 00 01 00 00 10 61 00        | dr/e35 |
      | a SUBSCRIBE filter without its options byte           | 82 06 00 01 00 00 01 61           | dr/e36 |
      | a PUBACK cut short inside its packet id               | 40 01 00                          | dr/e37 |
      | a PINGREQ carrying a byte                             | c0 01 00                          | dr/e38 |

  Scenario Outline: a PUBLISH with <defect> in its properties is malformed
    Given topics are not prefixed
    And client "sub" connected
    And "sub" subscribed to "<topic>"
    And client "A" connected
    # PUBLISH QoS 0 to <topic>, payload "x"
    When "A" sends raw "<packet>"
    # checks if sent MQTT-4.13.2-1
    Then the connection of "A" is closed within 2 s, with reason code 0x81 if the broker sends one
    And "sub" receives no message for 100 ms

    @v5 @MQTT-4.13.1-1 @MQTT-4.13.2-1
    Examples: MQTT 5
      | defect                                          | packet                                               | topic  |
      | the unknown property identifier 0x7F            | 30 0c 00 06 64 72 2f 65 31 33 02 7f 00 78             | dr/e13 |
      | Session Expiry Interval (not a PUBLISH property) | 30 0f 00 06 64 72 2f 65 31 34 05 11 00 00 00 0a 78    | dr/e14 |
      | a Message Expiry Interval two bytes short       | 30 0d 00 06 64 72 2f 65 31 35 03 02 00 0a 78          | dr/e15 |

  Scenario Outline: a CONNECT with <defect> in its properties is malformed
    Given client "A" opened a network connection
    # CONNECT, Clean Start, keep alive 60, client id "pe"
    When "A" sends raw "<packet>"
    # checks if sent MQTT-4.13.2-1
    Then the connection of "A" is closed within 2 s, with reason code 0x81 if the broker sends one

    @v5 @MQTT-3.1.4-1 @MQTT-4.13.1-1 @MQTT-4.13.2-1
    Examples: MQTT 5
      | defect                                          | packet                                                     |
      | the unknown property identifier 0x7F            | 10 11 00 04 4d 51 54 54 05 02 00 3c 02 7f 00 00 02 70 65    |
      | Will Delay Interval (a Will property)           | 10 14 00 04 4d 51 54 54 05 02 00 3c 05 18 00 00 00 05 00 02 70 65 |

  @v5 @advisory @MQTT-4.13.1-1
  Scenario: the server says why before closing: DISCONNECT with reason code 0x81 for a malformed packet
    Given client "A" connected
    # PUBLISH whose topic length runs past the packet end
    When "A" sends raw "30 08 00 10 64 72 2f 65 72 72"
    Then "A" is disconnected with reason code 0x81 within 2 s

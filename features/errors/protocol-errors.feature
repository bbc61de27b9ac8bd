@errors
Feature: Protocol errors close the connection
  A packet that parses but breaks a rule of the protocol is a protocol violation (3.1.1) or a
  Protocol Error (5.0): the server closes the connection; an MQTT 5 server that says why uses
  reason code 0x82 (CONNACK for a CONNECT, DISCONNECT otherwise).

  Scenario Outline: a PUBLISH with <defect> is a protocol error
    Given topics are not prefixed
    And client "sub" connected
    And "sub" subscribed to "<topic>"
    And client "A" connected
    # PUBLISH QoS 0 to <topic>, payload "x"
    When "A" sends raw "<packet>"
    # checks if sent MQTT-4.13.2-1
    Then the connection of "A" is closed within 2 s, with reason code 0x82 if the broker sends one
    And "sub" receives no message for 100 ms

    @v5 @MQTT-4.13.1-1 @MQTT-4.13.2-1
    Examples: MQTT 5
      | defect                                  | packet                                                      | topic  |
      | the Message Expiry Interval twice       | 30 14 00 06 64 72 2f 65 35 31 0a 02 00 00 00 0a 02 00 00 00 0b 78 | dr/e51 |
      | the Content Type twice                  | 30 12 00 06 64 72 2f 65 35 32 08 03 00 01 61 03 00 01 62 78  | dr/e52 |
      | a Subscription Identifier from a client | 30 0c 00 06 64 72 2f 65 35 33 02 0b 05 78                    | dr/e53 |

  Scenario Outline: a CONNECT with <defect> is a protocol error
    Given client "A" opened a network connection
    # CONNECT, Clean Start, keep alive 60, client id "pe"
    When "A" sends raw "<packet>"
    # checks if sent MQTT-4.13.2-1
    Then the connection of "A" is closed within 2 s, with reason code 0x82 if the broker sends one

    @v5 @MQTT-3.1.4-1 @MQTT-4.13.1-1 @MQTT-4.13.2-1
    Examples: MQTT 5
      | defect                                  | packet                                                            |
      | Receive Maximum 0                       | 10 12 00 04 4d 51 54 54 05 02 00 3c 03 21 00 00 00 02 70 65          |
      | Maximum Packet Size 0                   | 10 14 00 04 4d 51 54 54 05 02 00 3c 05 27 00 00 00 00 00 02 70 65    |
      | Request Problem Information 2           | 10 11 00 04 4d 51 54 54 05 02 00 3c 02 17 02 00 02 70 65             |
      | Request Response Information 2          | 10 11 00 04 4d 51 54 54 05 02 00 3c 02 19 02 00 02 70 65             |
      | the Session Expiry Interval twice       | 10 19 00 04 4d 51 54 54 05 02 00 3c 0a 11 00 00 00 0a 11 00 00 00 0a 00 02 70 65 |
      | the Topic Alias Maximum twice           | 10 15 00 04 4d 51 54 54 05 02 00 3c 06 22 00 05 22 00 05 00 02 70 65 |

  Scenario Outline: a client sending <packet type>, which only a server sends, has its connection closed
    Given client "A" connected
    When "A" sends raw "<packet>"
    # checks if sent MQTT-4.13.2-1
    Then the connection of "A" is closed within 2 s, with reason code 0x81 or 0x82 if the broker sends one

    @v3.1.1 @MQTT-4.8.0-1
    Examples: MQTT 3.1.1
      | packet type              | packet          |
      | CONNACK                  | 20 02 00 00     |
      | SUBACK                   | 90 03 00 01 00  |
      | UNSUBACK                 | b0 02 00 01     |
      | PINGRESP                 | d0 00           |
      | type 15 (reserved in 3.1.1) | f0 00        |

    @v5 @MQTT-4.13.1-1 @MQTT-4.13.2-1
    Examples: MQTT 5
      | packet type              | packet            |
      | CONNACK                  | 20 03 00 00 00    |
      | SUBACK                   | 90 04 00 01 00 00 |
      | UNSUBACK                 | b0 04 00 01 00 00 |
      | PINGRESP                 | d0 00             |

  @v5 @advisory @MQTT-4.13.1-1
  Scenario: the server says why before closing: DISCONNECT with reason code 0x82 for a protocol error
    Given topics are not prefixed
    And client "A" connected
    # PUBLISH to "dr/err" with the Content Type twice
    When "A" sends raw "30 12 00 06 64 72 2f 65 72 72 08 03 00 01 61 03 00 01 62 78"
    Then "A" is disconnected with reason code 0x82 within 2 s

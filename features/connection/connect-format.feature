@connect
Feature: CONNECT flags and payload must agree
  The CONNECT flags announce which payload fields follow (Will, user name, password), and the
  Will QoS and Will Retain bits only mean something with the Will flag. A CONNECT whose flags
  and payload disagree does not match section 3.1: the server closes the connection. In MQTT
  3.1.1 it sends no CONNACK at all; in MQTT 5 it may first send CONNACK 0x81 (malformed).
  The raw CONNECTs use one-letter client ids; none of them can be accepted.

  # 3.1.1: closing is 4.8.0-1 and 3.1.4-1; closing without any CONNACK is 3.1.4-1 alone.
  Scenario Outline: a CONNECT with <defect> closes the connection without a CONNACK
    Given client "A" opened a network connection
    When "A" sends raw "<packet>"
    # checks MQTT-3.1.4-1, MQTT-4.8.0-1
    Then the connection of "A" is closed within 2 s
    # checks MQTT-3.1.4-1
    And the connection of "A" is closed within 2 s without any packet from the broker

    @v3.1.1 @MQTT-3.1.4-1 @MQTT-4.8.0-1
    Examples: MQTT 3.1.1 (no CONNACK allowed)
      | defect                                         | packet                                                     |
      | Will QoS 1 without the Will flag               | 10 0d 00 04 4d 51 54 54 04 0a 00 3c 00 01 71                |
      | Will Retain without the Will flag              | 10 0d 00 04 4d 51 54 54 04 22 00 3c 00 01 72                |
      | Will QoS 3                                     | 10 14 00 04 4d 51 54 54 04 1e 00 3c 00 01 77 00 02 77 74 00 01 78 |
      | the Password flag without the User Name flag   | 10 11 00 04 4d 51 54 54 04 42 00 3c 00 01 70 00 02 70 77    |
      | the User Name flag but no user name            | 10 0d 00 04 4d 51 54 54 04 82 00 3c 00 01 75                |
      | the Password flag but no password              | 10 13 00 04 4d 51 54 54 04 c2 00 3c 00 01 75 00 04 6e 61 6d 65 |
      | the Will flag but no Will topic or message     | 10 0d 00 04 4d 51 54 54 04 06 00 3c 00 01 77                |
      | a CONNECT fixed header with flags 0001         | 11 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 66                |

  Scenario Outline: a CONNECT with <defect> closes the connection
    Given client "A" opened a network connection
    When "A" sends raw "<packet>"
    # checks if sent MQTT-4.13.2-1
    Then the connection of "A" is closed within 2 s, with reason code 0x81 if the broker sends one

    @v5 @MQTT-3.1.4-1 @MQTT-4.13.1-1 @MQTT-4.13.2-1
    Examples: MQTT 5
      | defect                                         | packet                                                        |
      | Will QoS 1 without the Will flag               | 10 0e 00 04 4d 51 54 54 05 0a 00 3c 00 00 01 71                |
      | Will Retain without the Will flag              | 10 0e 00 04 4d 51 54 54 05 22 00 3c 00 00 01 72                |
      | Will QoS 3                                     | 10 16 00 04 4d 51 54 54 05 1e 00 3c 00 00 01 77 00 00 02 77 74 00 01 78 |
      | the User Name flag but no user name            | 10 0e 00 04 4d 51 54 54 05 82 00 3c 00 00 01 75                |
      | the Password flag but no password              | 10 14 00 04 4d 51 54 54 05 c2 00 3c 00 00 01 75 00 04 6e 61 6d 65 |
      | the Will flag but no Will topic or message     | 10 0e 00 04 4d 51 54 54 05 06 00 3c 00 00 01 77                |
      | a CONNECT fixed header with flags 0001         | 11 0e 00 04 4d 51 54 54 05 02 00 3c 00 00 01 66                |

  Scenario Outline: a CONNECT with the protocol name <name> is not treated as MQTT
    # The server may drop the client or refuse the version; it must not accept the connection.
    Given client "A" opened a network connection
    When "A" sends raw "<packet>"
    Then the connection of "A" is closed within 2 s, after a CONNACK refusing the protocol version if the broker sends one

    @v3.1.1 @MQTT-3.1.2-1
    Examples: MQTT 3.1.1
      | name             | packet                                                |
      | "MQTX"           | 10 0d 00 04 4d 51 54 58 04 02 00 3c 00 01 6e          |
      | "mqtt"           | 10 0d 00 04 6d 71 74 74 04 02 00 3c 00 01 6e          |
      | "" (empty)       | 10 09 00 00 04 02 00 3c 00 01 6e                      |
      | "MQIsdp" level 4 | 10 0f 00 06 4d 51 49 73 64 70 04 02 00 3c 00 01 6e    |

    @v5 @MQTT-3.1.2-1 @MQTT-3.2.2-8
    Examples: MQTT 5
      | name             | packet                                                |
      | "MQTX"           | 10 0e 00 04 4d 51 54 58 05 02 00 3c 00 00 01 6e       |
      | "mqtt"           | 10 0e 00 04 6d 71 74 74 05 02 00 3c 00 00 01 6e       |
      | "" (empty)       | 10 0a 00 00 05 02 00 3c 00 00 01 6e                   |

  Scenario Outline: a CONNECT with protocol level <level> is refused and the connection closed
    # The reply to an unknown level usually has the MQTT 3.1.1 form, so the client reads as 3.1.1
    # (the step also accepts an MQTT 5 CONNACK 0x84).
    Given client "A" opened a network connection with MQTT 3.1.1
    # CONNECT "MQTT", clean start, keep alive 60, client id "n" (with an empty property list in the MQTT 5 rows)
    When "A" sends raw "<packet>"
    Then the connection of "A" is closed within 2 s, after a CONNACK refusing the protocol version if the broker sends one

    @v3.1.1 @MQTT-3.1.2-2
    Examples: MQTT 3.1.1
      | level | packet                                          |
      | 0     | 10 0d 00 04 4d 51 54 54 00 02 00 3c 00 01 6e    |
      | 6     | 10 0d 00 04 4d 51 54 54 06 02 00 3c 00 01 6e    |

    @v5 @MQTT-3.1.2-2 @MQTT-3.2.2-8
    Examples: MQTT 5
      | level | packet                                          |
      | 6     | 10 0e 00 04 4d 51 54 54 06 02 00 3c 00 00 01 6e |
      | 255   | 10 0e 00 04 4d 51 54 54 ff 02 00 3c 00 00 01 6e |

  @v5 @MQTT-3.1.4-1
  Scenario: an MQTT 5 CONNECT with a password but no user name is well-formed
    # Unlike MQTT 3.1.1, MQTT 5 allows a password without a user name: no malformed-packet refusal.
    Given client "A" opened a network connection
    When "A" connects with password "only-a-password"
    Then "A" receives one of these within 2 s:
      | CONNACK reason code 0    |
      | CONNACK reason code 0x86 |
      | CONNACK reason code 0x87 |
